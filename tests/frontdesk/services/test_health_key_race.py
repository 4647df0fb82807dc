"""Two terminals starting together on a fresh shared database both find no key and no key
check, and both make a key: exactly one key may open the database. The first key check
written (under a lock on the shop profile's row) wins; the other terminal drops the key it has
just made and stays locked until the owner imports the shop's key. Never two keys sealing data.

Two real OS processes released together through their stdin pipes (no sleeps), on one SQLite
file and, when a server is set up, on PostgreSQL; then the losing interleaving made certain in
one process."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import func, select

from db.models import Allergy, ShopProfile
from frontdesk.services import health_vault
from frontdesk.services.auth import AuthService
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import (
    KEY_MISSING,
    KEY_WRONG,
    HealthVault,
    VaultError,
    open_vault,
    parse_key_text,
)
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.keyrings import NoKeyring
from tests.seed import PIN, SeededShop

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """As on a headless box: each terminal's key goes to a key file in its own folder."""
    before = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        yield
    finally:
        keyring.set_keyring(before)


def _key_check(database: UnitOfWork) -> bytes:
    with database.read() as s:
        check = s.scalar(select(ShopProfile.health_key_check))
    assert check is not None
    return bytes(check)


def _key_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("health-key-*.txt"))


def test_two_terminals_starting_together_end_with_one_key(
    backend_db: UnitOfWork, backend_shop: SeededShop, tmp_path: Path
) -> None:
    url = backend_db.engine.url.render_as_string(hide_password=False)
    folders = [tmp_path / "terminal-a", tmp_path / "terminal-b"]
    racers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.vault_racer", url, str(folder)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders
    ]
    try:
        for racer in racers:  # the barrier: both connected and waiting
            assert racer.stdout is not None
            assert racer.stdout.readline().strip() == "ready"
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        outcomes = []
        for racer in racers:
            out, err = racer.communicate(timeout=60)
            assert racer.returncode == 0, err
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()
                racer.wait()
    opened = [o for o in outcomes if o["ready"]]
    locked = [o for o in outcomes if not o["ready"]]
    assert len(opened) == 1, outcomes
    assert len(locked) == 1, outcomes
    assert locked[0]["problem"] == KEY_MISSING
    winner = HealthVault(parse_key_text(opened[0]["key"]))
    assert winner.opens(_key_check(backend_db))
    # Anna's older plain allergy was sealed once, by the winner's key.
    with backend_db.read() as s:
        sealed = s.scalars(select(Allergy.substance_sealed)).all()
    assert sealed
    assert all(v is not None and winner.opens(bytes(v)) for v in sealed)
    # Only the winner keeps a key; the loser's folder holds none.
    kept = [folder for folder in folders if _key_files(folder)]
    assert len(kept) == 1
    (key_file,) = _key_files(kept[0])
    assert parse_key_text(key_file.read_text()) == parse_key_text(opened[0]["key"])


@pytest.mark.expect_log("frontdesk.services.health_vault", logging.WARNING)
@pytest.mark.expect_log("frontdesk.services.health_vault", logging.ERROR, "first")
def test_the_terminal_that_writes_its_check_second_drops_its_new_key(
    database: UnitOfWork,
    shop: SeededShop,
    no_keyring: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The interleaving made certain: B read 'no key, no check' before A wrote its check."""
    first = open_vault(None, database, key_dir=tmp_path / "a")
    assert first.ready
    monkeypatch.setattr(health_vault, "_has_sealed", lambda _session: False)
    second = open_vault(None, database, key_dir=tmp_path / "b")
    assert not second.ready
    assert second.status.problem is not None
    assert second.status.problem.text == KEY_MISSING
    assert _key_files(tmp_path / "b") == []
    assert first.opens(_key_check(database))
    with pytest.raises(VaultError):
        second.seal("anything")


@pytest.mark.expect_log("frontdesk.services.health_vault", logging.ERROR, "Another terminal")
def test_a_terminal_whose_key_is_not_the_databases_never_seals_with_it(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    """A terminal started before the shop had a profile (no key check could be written then)
    and another wrote its check since: the first entry sealed here is refused, and the vault
    locked, rather than sealed with a key the others cannot open."""
    winner = open_vault(None, database)
    assert winner.opens(_key_check(database))
    other = HealthVault(HealthVault.new_key())
    owner = AuthService(database, clock).sign_in(shop.owner_id, PIN)
    health = ClientHealthService(database, clock, ShopService(database, clock), other)
    health.set_consent(shop.boris_id, True, owner)
    with pytest.raises(VaultError) as refused:
        health.add_entry(shop.boris_id, "allergy", "nuts", "severe", "", owner)
    assert refused.value.text == KEY_WRONG
    assert not other.ready
    with database.read() as s:
        count = s.scalar(select(func.count(Allergy.id)).where(Allergy.customer_id == shop.boris_id))
    assert count == 0


def test_two_programs_on_one_computer_starting_together_share_one_key(
    database: UnitOfWork, shop: SeededShop, tmp_path: Path
) -> None:
    """Both keep their key in the same place (one user's key file): the second to save finds
    the first's key there and uses it, rather than overwriting it (which would have left the
    winner's key nowhere but in its memory). Whatever the interleaving: one key, kept, and it
    opens the database."""
    url = database.engine.url.render_as_string(hide_password=False)
    folder = tmp_path / "one-user"
    racers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.vault_racer", url, str(folder)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for racer in racers:
            assert racer.stdout is not None
            assert racer.stdout.readline().strip() == "ready"
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        outcomes = []
        for racer in racers:
            out, err = racer.communicate(timeout=60)
            assert racer.returncode == 0, err
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()
                racer.wait()
    keys = {o["key"] for o in outcomes if o["ready"]}
    assert len(keys) == 1, outcomes
    (key_file,) = _key_files(folder)
    kept = parse_key_text(key_file.read_text())
    assert {parse_key_text(k) for k in keys} == {kept}
    assert HealthVault(kept).opens(_key_check(database))
