"""Python work beside SQLite's, for the big demos.

SQLite lets go of the GIL while it runs a statement, so the history, which is Python alone, is
worked out in a thread while SQLite builds the clients' search index and indexes. Not while
rows are inserted: executemany takes the GIL back for every row, and both sides would crawl;
the clients, made while earlier ones are inserted, are made in a child process instead.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

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


_ITEM, _DONE, _FAILED = 0, 1, 2


def _send_all(make: Callable[[], Iterable[Any]], sender: Connection) -> None:
    try:
        for item in make():
            sender.send((_ITEM, item))
    except BaseException as error:  # the parent raises it; the child only reports it
        sender.send((_FAILED, f"{type(error).__name__}: {error}"))
    else:
        sender.send((_DONE, None))
    finally:
        sender.close()


def made_elsewhere(make: Callable[[], Iterable[T]]) -> Iterator[T]:
    """The items of `make()`, made in a forked child process while the caller uses each one.

    The child is a copy of this process (fork), so `make` needs nothing pickled; each item is
    pickled back through a pipe, whose small buffer keeps the child at most an item or two
    ahead. Where there is no fork (Windows), the items are simply made here.
    """
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this system
        yield from make()
        return
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_send_all, args=(make, sender), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            kind, item = receiver.recv()
            if kind == _DONE:
                break
            if kind == _FAILED:
                raise RuntimeError(f"Making the demo's rows failed: {item}")
            yield item
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()
