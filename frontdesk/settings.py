"""Every setting declared once: name, type, default and one line of help.

Settings live in `settings.toml` in the user's config folder; `FRONTDESK_<NAME>` environment
variables override the file, and command-line options override both. Shop identity (name,
currency, time zone) lives in the database because every terminal shares it; secrets live in
the OS keyring, never here.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args

from platformdirs import user_config_dir, user_data_dir

from db.backup import default_backup_dir
from frontdesk.domain.errors import DomainError
from printing.connections import PrinterKind

PRINTER_KINDS: tuple[str, ...] = get_args(PrinterKind)
#: Window and command-line languages with a translation; "" follows the shop's locale.
#: "pseudo" stretches every string (for finding clipped text), for testing layouts only.
LANGUAGES: tuple[str, ...] = ("en", "zh_CN", "ru")


def _setting(default: Any, help_text: str) -> Any:
    return field(default=default, metadata={"help": help_text})


class SettingsError(DomainError):
    """A settings file or variable holds something unusable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = _setting("", "Database URL or SQLite file path (default: user data dir)")
    printer_kind: str = _setting("none", "Receipt printer: none, network, serial, usb or file")
    printer_host: str = _setting("", "Network printer host name or IP address")
    printer_port: int = _setting(9100, "Network printer TCP port")
    printer_device: str = _setting("", "Serial printer device, e.g. /dev/ttyUSB0 or COM3")
    printer_baudrate: int = _setting(9600, "Serial printer baud rate")
    printer_usb_vendor: int = _setting(0, "USB printer vendor id (decimal or 0x hex in TOML)")
    printer_usb_product: int = _setting(0, "USB printer product id")
    printer_path: str = _setting("", "File or device node to write receipts to (kind = file)")
    printer_columns: int = _setting(48, "Characters per receipt line: 48 for 80 mm, 32 for 58 mm")
    printer_profile: str = _setting(
        "TM-T20II", "python-escpos printer profile (code pages, cutter)"
    )
    printer_chinese: bool = _setting(False, "Printer has a Chinese font (send GB18030 with FS &)")
    printer_two_way: bool = _setting(
        True, "Printer answers status queries (DLE EOT); false for one-way cables"
    )
    station_name: str = _setting(
        "", "This terminal's name: its printer prints only its own receipts (default: host name)"
    )
    scanner_port: str = _setting("", "Serial port of the loyalty card scanner; empty for none")
    scanner_baudrate: int = _setting(9600, "Scanner baud rate")
    spool_dir: str = _setting("", "Folder for the printer lock file (default: data dir)")
    language: str = _setting(
        "", "Language of the window and messages: en, zh_CN or ru; empty for the shop's locale"
    )
    log_level: str = _setting("INFO", "Log level: DEBUG, INFO, WARNING or ERROR")
    backup_dir: str = _setting(
        "", "Folder for database backups (default: 'backups' beside the database file)"
    )
    backup_keep: int = _setting(
        14, "How many automatic backups (at quit and day close) to keep; older ones are deleted"
    )

    def resolved_station_name(self) -> str:
        import socket  # not on the way to the first window

        return (self.station_name.strip() or socket.gethostname() or "station")[:80]

    def resolved_spool_dir(self) -> Path:
        if self.spool_dir:
            return Path(self.spool_dir).expanduser()
        return Path(user_data_dir("FrontDesk", appauthor=False)) / "print-spool"

    def resolved_backup_dir(self, database: Path) -> Path:
        """Where backups of the SQLite file `database` go."""
        if self.backup_dir:
            return Path(self.backup_dir).expanduser()
        return default_backup_dir(database)


def settings_path() -> Path:
    return Path(user_config_dir("FrontDesk", appauthor=False)) / "settings.toml"


def _coerce(name: str, kind: Any, value: Any) -> Any:
    target = {"str": str, "int": int, "bool": bool}[
        kind if isinstance(kind, str) else kind.__name__
    ]
    if target is bool:
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in ("1", "true", "yes", "on"):
            return True
        if str(value).strip().lower() in ("0", "false", "no", "off", ""):
            return False
    elif target is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).strip(), 0)
        except ValueError:
            pass
    elif isinstance(value, str):
        return value
    raise SettingsError(f"Setting {name} must be a {target.__name__}, not {value!r}.")


def language_for(setting: str, shop_locale: str) -> str:
    """The language to speak: the `language` setting when given, else the shop locale's
    ('ru_RU' -> 'ru', 'zh_Hans_CN' -> 'zh_CN'); English for every other locale."""
    if setting:
        return setting
    language = shop_locale.replace("-", "_").split("_", 1)[0].lower()
    return {"zh": "zh_CN", "ru": "ru"}.get(language, "en")


def _language_code(text: str) -> str:
    """'zh-cn', 'ZH_CN' -> 'zh_CN'; other spellings are left for validation to name."""
    cleaned = text.strip().replace("-", "_")
    for known in (*LANGUAGES, "pseudo"):
        if cleaned.lower() == known.lower():
            return known
    return cleaned


def _validate(settings: Settings) -> Settings:
    if settings.printer_kind not in PRINTER_KINDS:
        kinds = ", ".join(PRINTER_KINDS)
        raise SettingsError(f"printer_kind must be one of {kinds}, not {settings.printer_kind!r}.")
    if not 16 <= settings.printer_columns <= 64:
        raise SettingsError("printer_columns must be between 16 and 64.")
    settings = replace(settings, language=_language_code(settings.language))
    if settings.language not in ("", *LANGUAGES, "pseudo"):
        raise SettingsError(
            f"language must be empty (the shop's locale) or one of {', '.join(LANGUAGES)}, "
            f"not {settings.language!r}."
        )
    if settings.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError("log_level must be DEBUG, INFO, WARNING or ERROR.")
    if len(settings.station_name.strip()) > 80:
        raise SettingsError("station_name must be at most 80 characters.")
    if not 0 < settings.printer_port < 65536:
        raise SettingsError("printer_port must be between 1 and 65535.")
    if settings.backup_keep < 1:
        raise SettingsError("backup_keep must be at least 1.")
    return settings


def load_settings(
    path: Path | None = None, environ: Mapping[str, str] = os.environ, **overrides: Any
) -> Settings:
    """Defaults, then the TOML file, then FRONTDESK_* variables, then `overrides`."""
    path = path or settings_path()
    values: dict[str, Any] = {}
    known = {f.name: f for f in fields(Settings)}
    for key, value in read_settings_file(path).items():
        if key not in known:
            raise SettingsError(f"Unknown setting {key!r} in {path}.")
        values[key] = _coerce(key, known[key].type, value)
    for name, spec in known.items():
        env_value = environ.get(f"FRONTDESK_{name.upper()}")
        if env_value is not None:
            values[name] = _coerce(name, spec.type, env_value)
    for name, value in overrides.items():
        if value is not None:
            values[name] = _coerce(name, known[name].type, value)
    return _validate(replace(Settings(), **values))


def read_settings_file(path: Path | None = None) -> dict[str, Any]:
    """The settings written in the file, as written (none when there is no file)."""
    path = path or settings_path()
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"The settings file {path} cannot be read: {exc}") from None
    return data


def save_settings(changes: Mapping[str, Any], path: Path | None = None) -> Settings:
    """Write `changes` into the settings file, keeping every other key; the file's settings.

    The whole result is checked first (a bad value raises SettingsError and leaves the file as
    it was), then written to a temporary file beside it and moved over it in one step, so a
    crash never leaves half a file. Comments in the old file are not kept.
    """
    path = path or settings_path()
    known = {f.name: f for f in fields(Settings)}
    values = read_settings_file(path)
    for key, value in changes.items():
        if key not in known:
            raise SettingsError("Unknown setting {key}.", key=key)
        values[key] = _coerce(key, known[key].type, value)
    checked = _validate(
        replace(
            Settings(),
            **{k: _coerce(k, known[k].type, v) for k, v in values.items() if k in known},
        )
    )
    text = "".join(f"{key} = {_toml_value(value)}\n" for key, value in values.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return checked


_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml_value(value: Any) -> str:
    """A flat setting's value as TOML: a bool, an integer or a basic string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = "".join(
            _TOML_ESCAPES.get(char)
            or (f"\\u{ord(char):04X}" if ord(char) < 0x20 or ord(char) == 0x7F else char)
            for char in value
        )
        return f'"{escaped}"'
    raise SettingsError("A setting cannot hold {kind} values.", kind=type(value).__name__)


def overridden_settings(
    in_use: Settings, path: Path | None = None, environ: Mapping[str, str] = os.environ
) -> dict[str, str]:
    """Settings whose value in use does not come from the file: name -> where it comes from,
    the environment variable's name, or "command line" for an option given at start."""
    sources: dict[str, str] = {}
    try:
        from_file_and_environment: Settings | None = load_settings(path, environ)
    except SettingsError:
        from_file_and_environment = None
    for spec in fields(Settings):
        variable = f"FRONTDESK_{spec.name.upper()}"
        if variable in environ:
            sources[spec.name] = variable
        elif from_file_and_environment is not None and getattr(in_use, spec.name) != getattr(
            from_file_and_environment, spec.name
        ):
            sources[spec.name] = COMMAND_LINE
    return sources


#: Where a setting comes from when an option given at start overrides it.
COMMAND_LINE = "command line"


def configure_logging(settings: Settings) -> None:
    """Log to stderr at the configured level (health data is never logged)."""
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )


_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def shown_value(settings: Settings, name: str) -> str:
    """A setting's value as it may be printed: a password inside a database URL is masked."""
    value = getattr(settings, name)
    if isinstance(value, str):
        return repr(_URL_PASSWORD.sub(r"\1***@", value))
    return repr(value)


def describe_settings() -> list[tuple[str, str, str]]:
    """(name, default, help) of every setting, for `--help` and the README."""
    rows = []
    for spec in fields(Settings):
        default = spec.default if spec.default is not MISSING else ""
        rows.append((spec.name, repr(default), str(spec.metadata["help"])))
    return rows
