"""`frontdesk key export` and `frontdesk key import`: the key moved to another computer."""

from __future__ import annotations

import logging
import shutil
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.backup import BackupKind
from db.engine import make_engine
from frontdesk.bootstrap import backup_service
from frontdesk.cli import main
from frontdesk.services.auth import COMMAND_LINE
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import HealthVault, key_text, open_vault, parse_key_text
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.settings import Settings
from tests.conftest import NOW
from tests.keyrings import MemoryKeyring
from tests.seed import SeededShop


def _health(path: Path) -> tuple[UnitOfWork, HealthVault, ClientHealthService]:
    database = UnitOfWork(make_engine(f"sqlite:///{path}"))
    clock = FixedClock(NOW)
    vault = open_vault(None, database)
    return (
        database,
        vault,
        ClientHealthService(database, clock, ShopService(database, clock), vault),
    )


@pytest.mark.expect_log("frontdesk.services.health_vault", logging.ERROR)
def test_export_then_import_on_another_computer(
    db_path: Path,
    shop: SeededShop,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database, vault, health = _health(db_path)
    health.set_consent(shop.boris_id, True, COMMAND_LINE)
    health.add_entry(shop.boris_id, "allergy", "henna", "severe", "", COMMAND_LINE)
    backup = backup_service(Settings(backup_dir=str(tmp_path / "bk")), database).take(
        BackupKind.MANUAL
    )
    assert backup is not None
    database.engine.dispose()

    key_file, sheet = tmp_path / "key.txt", tmp_path / "key.pdf"
    args = ["key", "export", "--out", str(key_file), "--pdf", str(sheet), "--db", str(db_path)]
    assert main(args) == 0
    assert "key.txt" in capsys.readouterr().out
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    text = key_file.read_text().strip()
    assert parse_key_text(text) == vault.key()
    page = "".join(PdfReader(sheet).pages[0].extract_text().split())
    assert text in page  # the text form, to type back (the QR code carries the same)
    assert main(args) == 1
    assert "--force" in capsys.readouterr().err

    # Another computer: the backup copied over, an empty keyring.
    other = tmp_path / "other" / "shop.sqlite3"
    other.parent.mkdir()
    shutil.copyfile(backup, other)
    memory_keyring.passwords.clear()
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(key_text(HealthVault.new_key()))
    assert main(["key", "import", str(wrong), "--db", str(other)]) == 1
    assert "does not open" in capsys.readouterr().err
    assert memory_keyring.passwords == {}

    assert main(["key", "import", str(key_file), "--db", str(other)]) == 0
    assert "restored" in capsys.readouterr().out
    database, vault, health = _health(other)
    try:
        assert vault.ready
        assert "henna" in [e.code for e in health.health(shop.boris_id, COMMAND_LINE).entries]
    finally:
        database.engine.dispose()
