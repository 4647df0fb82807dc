from pathlib import Path

import pytest

from frontdesk.settings import Settings, SettingsError, describe_settings, load_settings


def test_defaults_file_environment_then_overrides(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    assert load_settings(path, {}) == Settings()
    path.write_text(
        'printer_kind = "network"\nprinter_host = "10.0.0.5"\nprinter_port = 9101\n'
        "printer_usb_vendor = 0x04b8\n"
    )
    settings = load_settings(path, {"FRONTDESK_PRINTER_PORT": "9200"}, database_url="x.db")
    assert (settings.printer_kind, settings.printer_host) == ("network", "10.0.0.5")
    assert settings.printer_port == 9200
    assert settings.printer_usb_vendor == 0x04B8
    assert settings.database_url == "x.db"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('printer_kind = "laser"', "printer_kind must be one of"),
        ("printer_port = 70000", "between 1 and 65535"),
        ('printer_port = "ninety"', "must be a int"),
        ("colour = 3", "Unknown setting 'colour'"),
        ("printer_port = ", "cannot be read"),
        (
            'language = "de"',
            r"language must be empty \(the shop's locale\) or one of en, zh_CN, ru",
        ),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(toml)
    with pytest.raises(SettingsError, match=message):
        load_settings(path, {})


def test_every_setting_has_help() -> None:
    rows = describe_settings()
    assert {name for name, _, _ in rows} == set(Settings.__dataclass_fields__)
    assert all(help_text for _, _, help_text in rows)


@pytest.mark.parametrize(
    ("written", "language"), [("", ""), ("ru", "ru"), ("zh-cn", "zh_CN"), (" ZH_CN ", "zh_CN")]
)
def test_language_is_read_in_its_usual_spellings(
    tmp_path: Path, written: str, language: str
) -> None:
    assert load_settings(tmp_path / "none.toml", {"FRONTDESK_LANGUAGE": written}).language == (
        language
    )
