"""Every known error can be translated: its template is found in the source, and none is an
f-string (which would bake a client's name or an amount into the code)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tools import error_catalog


def _catalog() -> ModuleType:
    return error_catalog


def test_no_error_template_is_an_f_string() -> None:
    assert _catalog().find().problems == ()


def test_the_catalog_finds_templates_in_constructors_and_constants() -> None:
    templates = set(_catalog().find().templates)
    assert "Wrong PIN. Tries left before the account locks: %n." in templates  # WrongPin(...)
    assert "That is not a phone number." in templates  # NOT_A_PHONE = words(...)
    assert "{label} is at most {max_chars} characters." in templates  # ValidationError(f, t)
    assert "There is no backup file at {backup}." in templates  # db's BackupFailed(...)


def test_a_new_f_string_template_is_reported(tmp_path: Path) -> None:
    catalog = _catalog()
    services = tmp_path / "frontdesk/services"
    services.mkdir(parents=True)
    (tmp_path / "frontdesk/domain").mkdir()
    (tmp_path / "frontdesk/devices").mkdir()
    (tmp_path / "db").mkdir()
    (tmp_path / "frontdesk/domain/errors.py").write_text("class DomainError(Exception): ...\n")
    (services / "x.py").write_text(
        "from frontdesk.domain.errors import DomainError\n"
        "class Gone(DomainError): ...\n"
        "def f(name):\n    raise Gone(f'{name} left')\n"
    )
    found = catalog.find(tmp_path)
    assert len(found.problems) == 1
    assert "f-string" in found.problems[0]
