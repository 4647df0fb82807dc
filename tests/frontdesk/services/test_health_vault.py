"""Where the health data key lives, what happens when it is missing, export and restore,
sealing older plain rows, and no planted health text anywhere on disk or in the log."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import select

from db.backup import BackupKind
from db.engine import sqlite_path
from db.models import Allergy, AuditEntry, Customer
from frontdesk.bootstrap import backup_service
from frontdesk.domain.errors import ValidationError
from frontdesk.services.auth import AuthService, NotPermitted, SignedIn
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import (
    KEYRING_SERVICE,
    HealthKeyService,
    HealthVault,
    VaultError,
    database_id,
    key_text,
    open_vault,
    parse_key_text,
    seal_older_rows,
)
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.settings import Settings
from tests.keyrings import MemoryKeyring, NoKeyring
from tests.seed import PIN, SeededShop


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        yield
    finally:
        keyring.set_keyring(before)


def _signed(database: UnitOfWork, clock: FixedClock, staff_id: int) -> SignedIn:
    return AuthService(database, clock).sign_in(staff_id, PIN)


def _keys(database: UnitOfWork, clock: FixedClock, vault: HealthVault) -> HealthKeyService:
    return HealthKeyService(database, clock, vault)


def test_first_start_makes_a_key_in_the_keyring_per_database(
    backend_db: UnitOfWork, backend_shop: SeededShop, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    vault = open_vault(None, backend_db)
    assert vault.ready
    assert vault.status.where == "keyring"
    assert vault.status.warning is None
    stored = memory_keyring.passwords[(KEYRING_SERVICE, database_id(backend_db.engine.url))]
    assert parse_key_text(stored) == vault.key()
    # Opening again finds the same key; another database has its own.
    assert open_vault(None, backend_db).key() == vault.key()
    other = tmp_path / "other" / "shop.sqlite3"
    assert database_id(backend_db.engine.url) != database_id(
        backend_db.engine.url.set(database=str(other))
    )


@pytest.mark.expect_log("frontdesk.services.health_vault", logging.WARNING)
def test_without_a_keyring_the_key_goes_to_an_owner_only_file_with_a_warning(
    database: UnitOfWork,
    shop: SeededShop,
    no_keyring: None,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    vault = open_vault(None, database, key_dir=tmp_path / "config")
    assert vault.ready
    assert vault.status.where == "file"
    assert vault.status.warning is not None
    (key_file,) = (tmp_path / "config").iterdir()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert parse_key_text(key_file.read_text()) == vault.key()
    assert "No keyring" in caplog.text
    assert key_text(vault.key()) not in caplog.text  # never the secret
    again = open_vault(None, database, key_dir=tmp_path / "config")
    assert again.key() == vault.key()


@pytest.mark.expect_log("frontdesk.services.health_vault", logging.ERROR)
def test_sealed_data_without_its_key_is_locked_never_given_a_new_key(
    backend_db: UnitOfWork,
    clock: FixedClock,
    backend_shop: SeededShop,
    memory_keyring: MemoryKeyring,
) -> None:
    vault = open_vault(None, backend_db)
    exported = key_text(vault.key())
    memory_keyring.passwords.clear()  # another computer, or the keyring lost

    locked = open_vault(None, backend_db)
    assert not locked.ready
    assert locked.status.problem is not None
    assert "Restore" in locked.status.problem.message
    assert memory_keyring.passwords == {}  # no new key made over sealed data
    health = ClientHealthService(backend_db, clock, ShopService(backend_db, clock), locked)
    owner = _signed(backend_db, clock, backend_shop.owner_id)
    with pytest.raises(VaultError, match="Restore"):
        health.health(backend_shop.anna_id, owner)

    # A wrong key is refused; the right one opens everything again.
    keys = _keys(backend_db, clock, locked)
    with pytest.raises(ValidationError, match="does not open"):
        keys.restore(key_text(HealthVault.new_key()), owner)
    with pytest.raises(ValidationError, match="not a health data key"):
        keys.restore(exported[:-3] + "000", owner)
    keys.restore("  " + exported[:20] + "\n" + exported[20:] + " ", owner)  # typed from paper
    assert locked.ready
    assert health.health(backend_shop.anna_id, owner).entries[0].substance == "Nut oil"
    assert open_vault(None, backend_db).ready


@pytest.mark.expect_log("frontdesk.services.health_vault", logging.ERROR)
def test_a_wrong_key_on_this_computer_is_told_apart_from_no_data(
    backend_db: UnitOfWork, backend_shop: SeededShop, memory_keyring: MemoryKeyring
) -> None:
    open_vault(None, backend_db)
    (entry,) = memory_keyring.passwords
    memory_keyring.passwords[entry] = key_text(HealthVault.new_key())
    vault = open_vault(None, backend_db)
    assert not vault.ready
    assert vault.status.problem is not None
    assert "does not open" in vault.status.problem.message


def test_export_and_restore_are_for_the_owner_and_audited(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop, tmp_path: Path
) -> None:
    vault = open_vault(None, database)
    keys = _keys(database, clock, vault)
    for staff_id in (shop.receptionist_id, shop.therapist_id):
        with pytest.raises(NotPermitted):
            keys.export_text(_signed(database, clock, staff_id))
        with pytest.raises(NotPermitted):
            keys.restore(key_text(vault.key()), _signed(database, clock, staff_id))
    owner = _signed(database, clock, shop.owner_id)
    out = tmp_path / "key.txt"
    keys.export_file(out, owner)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert parse_key_text(out.read_text()) == vault.key()
    with database.read() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
        details = " ".join(session.scalars(select(AuditEntry.detail)).all())
    assert "health_key.exported" in actions
    assert key_text(vault.key()) not in details


def test_older_plain_rows_are_sealed_once_and_leave_no_trace_in_the_file(
    backend_db: UnitOfWork, backend_shop: SeededShop
) -> None:
    planted = "Zyxquat-balm-4471"
    with backend_db.write() as session:
        customer = session.get(Customer, backend_shop.boris_id)
        assert customer is not None
        session.add(
            Allergy(
                customer_id=customer.id,
                substance=planted,
                notes=planted + " notes",
                recorded_at=customer.created_at,
            )
        )
    vault = open_vault(None, backend_db)  # seals at start
    with backend_db.read() as session:
        rows = session.scalars(select(Allergy)).all()
        assert rows
        assert all(r.substance == "" and r.notes == "" and r.substance_sealed for r in rows)
        sealed = {r.id: r.substance_sealed for r in rows}
    assert seal_older_rows(backend_db, vault) == 0  # idempotent: nothing left to seal
    with backend_db.read() as session:
        assert {r.id: r.substance_sealed for r in session.scalars(select(Allergy))} == sealed
    db_path = sqlite_path(backend_db.engine.url)
    if db_path is None:
        return  # PostgreSQL: the rows are sealed; its files are the server's (VACUUM reclaims)
    for suffix in ("", "-wal"):
        path = Path(str(db_path) + suffix)
        data = path.read_bytes() if path.exists() else b""
        for text in (planted, "Nut oil", "Use grapeseed"):
            assert text.encode() not in data, (suffix, text)


def test_a_planted_allergy_is_never_in_the_file_wal_backup_or_log(
    database: UnitOfWork,
    db_path: Path,
    clock: FixedClock,
    shop: SeededShop,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    planted = "Qorvexine-Ölbalsam-塔克-9137"
    vault = open_vault(None, database)
    health = ClientHealthService(database, clock, ShopService(database, clock), vault)
    owner = _signed(database, clock, shop.owner_id)
    health.set_consent(shop.boris_id, True, owner)
    health.add_entry(shop.boris_id, "allergy", planted, "severe", planted + " (notes)", owner)
    health.add_patch_test(shop.boris_id, clock.now().date(), planted, planted, owner)
    assert health.health(shop.boris_id, owner).entries[0].substance == planted
    with pytest.raises(Exception, match="already"):
        health.add_entry(shop.boris_id, "allergy", planted, "severe", "", owner)
    backup = backup_service(Settings(backup_dir=str(db_path.parent / "bk")), database).take(
        BackupKind.MANUAL
    )
    assert backup is not None

    forms = {planted, planted.lower(), planted.casefold()}
    needles = [
        f.encode(codec) for f in forms for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32")
    ]
    # The seeded client's older plain allergy was sealed at start: not in any copy either.
    needles += [b"Nut oil", b"Use grapeseed"]
    files = [db_path, Path(str(db_path) + "-wal"), backup]
    for path in files:
        data = path.read_bytes() if path.exists() else b""
        for needle in needles:
            assert needle not in data, path
    logged = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    for form in forms:
        assert form not in logged
