"""The command line speaks the shop's language, through the window's Qt translations.

`translate("cli", text)` has the signature of QCoreApplication.translate, so pyside6-lupdate
collects the command line's messages into the same .ts files as the window's. No
QCoreApplication is made: a bare QTranslator reads the .qm, and QtCore (~150 ms to import) is
loaded only when the language is not English.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from frontdesk.settings import Settings, language_for

log = logging.getLogger(__name__)


class _Speaker:
    """Holds the translator of the language chosen for this run (English until told)."""

    def __init__(self) -> None:
        self.language = "en"
        self._translator: Any = None

    def use(self, language: str) -> None:
        self.language, self._translator = language, None
        if language == "en":
            return
        from frontdesk.ui.translations import app_qm

        path = app_qm(language)
        if path is None:
            return
        from PySide6.QtCore import QTranslator

        translator = QTranslator()
        if translator.load(str(path)):
            self._translator = translator
        else:
            log.warning("The translation %s cannot be loaded; messages stay English.", path.name)

    def translate(self, context: str, text: str, disambiguation: str | None, n: int) -> str:
        found = ""
        if self._translator is not None:
            found = self._translator.translate(context, text, disambiguation, n)
        result = found or text
        return result.replace("%n", str(n)) if n >= 0 else result


_SPEAKER = _Speaker()


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`text` in the language chosen by `speak` (as QCoreApplication.translate, %n filled)."""
    return _SPEAKER.translate(context, text, disambiguation, n)


def speak(language: str) -> None:
    """Speak `language` (en, zh_CN, ru or pseudo) from now on."""
    _SPEAKER.use(language)


def shop_locale(settings: Settings) -> str:
    """The locale of the shop in the settings' database, read without creating, migrating or
    locking anything; 'en' when there is no shop yet or it cannot be read."""
    from db.engine import resolve_url, sqlite_path
    from db.errors import DatabaseProblem

    try:
        url = resolve_url(settings.database_url or None)
    except DatabaseProblem:  # a bad URL is reported by the command itself
        return "en"
    path = sqlite_path(url)
    if path is None and url.get_backend_name() == "sqlite":  # in memory: no shop yet
        return "en"
    if path is None:  # a server: the full read (the command connects to it anyway)
        from frontdesk.services.receipts import existing_shop

        shop = existing_shop(settings.database_url or None)
        return shop.locale if shop is not None else "en"
    if not path.is_file():
        return "en"
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            row = connection.execute(
                "SELECT locale FROM shop_profile ORDER BY id LIMIT 1"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return "en"
    return str(row[0]) if row else "en"


def speak_for(settings: Settings) -> str:
    """Speak the settings' language, else the shop's; returns the language chosen."""
    language = language_for(settings.language, "" if settings.language else shop_locale(settings))
    speak(language)
    return language
