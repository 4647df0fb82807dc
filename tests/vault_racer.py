"""A terminal starting for the first time, for the key race test: opens the health vault when
told and prints the outcome.

Run: python -m tests.vault_racer URL KEY_DIR
It prints "ready" once its connection is open (no keyring here: the key goes to a file in
KEY_DIR, as on a headless box), waits for a line on stdin (the barrier: the test releases every
racer at once), opens the vault and prints one JSON line: {"ready": bool, "problem": template
or null, "key": the key's text or null}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import keyring
from sqlalchemy import text

from db.engine import make_engine
from frontdesk.services.health_vault import key_text, open_vault
from frontdesk.services.unit_of_work import UnitOfWork
from tests.keyrings import NoKeyring


def main(url: str, key_dir: str) -> None:
    keyring.set_keyring(NoKeyring())
    engine = make_engine(url)
    with engine.connect() as connection:  # the pool holds an open connection from now on
        connection.execute(text("SELECT 1"))
    uow = UnitOfWork(engine)
    print("ready", flush=True)
    sys.stdin.readline()
    vault = open_vault(None, uow, key_dir=Path(key_dir))
    problem = vault.status.problem
    outcome = {
        "ready": vault.ready,
        "problem": problem.text if problem is not None else None,
        "key": key_text(vault.key()) if vault.ready else None,
    }
    print(json.dumps(outcome), flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:3])
