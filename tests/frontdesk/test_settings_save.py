"""Saving settings: valid TOML whatever the text, other keys kept, nothing half-written."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.settings import SettingsError, load_settings, save_settings

# Any text a person could type or paste, lone surrogates aside (they cannot be stored as UTF-8).
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@given(host=_TEXT, device=_TEXT, port=st.integers(1, 65535), chinese=st.booleans())
def test_any_value_is_written_as_toml_that_reads_back_the_same(
    tmp_path_factory: pytest.TempPathFactory, host: str, device: str, port: int, chinese: bool
) -> None:
    path = tmp_path_factory.mktemp("settings") / "settings.toml"
    values = {
        "printer_host": host,
        "printer_device": device,
        "printer_port": port,
        "printer_chinese": chinese,
    }
    save_settings(values, path)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == values


def test_other_settings_are_kept_and_a_bad_value_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('log_level = "DEBUG"\nbackup_keep = 3\n', encoding="utf-8")
    save_settings({"scanner_port": "COM4"}, path)
    settings = load_settings(path, {})
    assert (settings.log_level, settings.backup_keep, settings.scanner_port) == ("DEBUG", 3, "COM4")
    before = path.read_bytes()
    with pytest.raises(SettingsError):
        save_settings({"printer_port": 0}, path)
    with pytest.raises(SettingsError):
        save_settings({"no_such_setting": 1}, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]


def test_a_new_file_is_made_with_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "settings.toml"
    save_settings({"printer_kind": "file", "printer_path": "/dev/usb/lp0"}, path)
    assert load_settings(path, {}).printer_path == "/dev/usb/lp0"
