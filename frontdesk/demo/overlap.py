"""Python work beside SQLite's, for the big demos.

SQLite lets go of the GIL while it runs a statement, so the history, which is Python alone, is
worked out in a thread while SQLite builds the clients' search index and indexes. (Not while
rows are inserted: executemany takes the GIL back for every row, and both sides would crawl.)
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`work()` in a daemon thread. `result()` waits for it, raises what it raised, and hands
    the result over once: the caller alone holds it then, and can let it go."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._outcome: list[T | BaseException] = []
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._outcome.append(work())
        except BaseException as error:
            self._outcome.append(error)

    def result(self) -> T:
        self._thread.join()
        outcome = self._outcome.pop()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while millions of row tuples pile up: none of them is in
    a cycle, and each collection would walk them all again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
