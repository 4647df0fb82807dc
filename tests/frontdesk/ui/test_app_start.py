"""Starting the window on a database it cannot use gives one plain dialog and exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from frontdesk.ui import app as app_module

pytestmark = pytest.mark.gui


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def critical(_parent: object, _title: str, text: str) -> None:
        shown.append(text)

    monkeypatch.setattr(app_module.QMessageBox, "critical", critical)
    return shown


def test_not_a_database(qtbot: QtBot, tmp_path: Path, dialogs: list[str]) -> None:
    garbage = tmp_path / "sales.xlsx"
    garbage.write_bytes(b"PK\x03\x04 a spreadsheet, not a database" * 100)
    assert app_module.run_app(str(garbage)) == 1
    assert len(dialogs) == 1
    assert "not a FrontDesk database" in dialogs[0]


def test_database_on_a_network_share(qtbot: QtBot, dialogs: list[str]) -> None:
    assert app_module.run_app("sqlite://///fileserver/spa/frontdesk.sqlite3") == 1
    assert "network share" in dialogs[0]


def test_broken_settings_file(qtbot: QtBot, tmp_path: Path, dialogs: list[str]) -> None:
    from frontdesk.settings import settings_path

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("printer_port = 0\n")
    assert app_module.run_app(str(tmp_path / "ok.sqlite3")) == 1
    assert "printer_port must be between 1 and 65535" in dialogs[0]
