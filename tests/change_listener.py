"""A second terminal for tests: opens the database, watches for other terminals' changes and
prints each as a JSON line on stdout ("ready" first). Run: python -m tests.change_listener URL"""

from __future__ import annotations

import json
import sys

from sqlalchemy import create_engine

from frontdesk.services.change_watch import ChangeFeed
from frontdesk.services.changes import Changes
from frontdesk.services.unit_of_work import UnitOfWork


def main(url: str) -> None:
    uow = UnitOfWork(create_engine(url))
    feed = ChangeFeed(uow, interval=0.1)

    def show(changes: Changes) -> None:
        ids = {k.value: (None if v is None else sorted(v)) for k, v in changes.ids.items()}
        line = {"ids": ids, "actor": changes.actor_staff_id, "local": changes.local}
        print(json.dumps(line), flush=True)

    feed.subscribe(show)
    feed.start_watching()
    print("ready", flush=True)
    sys.stdin.read()  # until the test closes our stdin
    feed.stop_watching()


if __name__ == "__main__":
    main(sys.argv[1])
