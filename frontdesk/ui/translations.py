"""The window's language: the app's own .qm and Qt's qtbase .qm, installed on the application.

The language is the `language` setting, or else the shop's locale from the database (zh_* ->
Simplified Chinese, ru_* -> Russian, anything else English). The compiled .qm files sit beside
their .ts sources in resources/translations (built by the install and by PyInstaller); when one
is missing it is built now into the cache folder if pyside6-lrelease is at hand, else the
window stays English and the log says why, once.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from platformdirs import user_cache_dir
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from frontdesk.settings import language_for

log = logging.getLogger(__name__)


def _which(name: str) -> str | None:
    import shutil  # only when a .qm is missing

    return shutil.which(name)


#: resources/ sits beside the packages in a checkout and inside a PyInstaller bundle alike.
TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"
APP_TRANSLATOR = "frontdesk-app-translator"
QT_TRANSLATOR = "frontdesk-qt-translator"


def locale_for(language: str, shop_locale: str) -> QLocale:
    """Qt's default locale: the shop's own when it speaks the chosen language (ru_RU, en_GB),
    else the language's usual one."""
    if language_for("", shop_locale) == language or language == "pseudo":
        return QLocale(shop_locale.replace("-", "_"))
    return QLocale(language)


def _lrelease() -> Path | None:
    """Qt's lrelease: the binary inside PySide6 (no Python start-up), else the wrapper."""
    import PySide6

    candidates = (
        Path(PySide6.__file__).parent / "lrelease",
        Path(sys.executable).parent / "pyside6-lrelease",
        Path(_which("pyside6-lrelease") or "-"),
    )
    return next((path for path in candidates if path.is_file()), None)


def _built_now(source: Path, cache: Path) -> Path | None:
    """Compile `source` into the cache folder (if not already there and newer)."""
    target = cache / source.with_suffix(".qm").name
    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    tool = _lrelease()
    if tool is None:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    import subprocess  # only to build a missing .qm: not on every start

    done = subprocess.run(
        [str(tool), str(source), "-qm", str(target), "-silent"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not target.is_file():
        log.warning("Building %s failed: %s", target.name, (done.stderr or done.stdout).strip())
        return None
    return target


def app_qm(
    language: str, folder: Path = TRANSLATIONS_DIR, cache: Path | None = None
) -> Path | None:
    """The compiled translation of the app for `language`; None for English or when there is
    none (a warning in the log says why)."""
    if language == "en":
        return None
    shipped = folder / f"frontdesk_{language}.qm"
    source = folder / f"frontdesk_{language}.ts"
    if shipped.is_file() and (
        not source.is_file() or shipped.stat().st_mtime >= source.stat().st_mtime
    ):
        return shipped
    if source.is_file():
        cache = cache or Path(user_cache_dir("FrontDesk", appauthor=False)) / "translations"
        built = _built_now(source, cache)
        if built is not None:
            return built
    if shipped.is_file():  # older than its source, but better than English
        return shipped
    log.warning(
        "No %s translation was found in %s and pyside6-lrelease could not build one; "
        "the window stays in English. Run `python tools/translations.py %s`.",
        language,
        folder,
        "pseudo" if language == "pseudo" else "build",
    )
    return None


def qt_qm(language: str) -> Path | None:
    """Qt's own translation (standard buttons, dialogs) for `language`, if Qt ships one."""
    if language in ("en", "pseudo"):
        return None
    path = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    found = path / f"qtbase_{language}.qm"
    return found if found.is_file() else None


def _install(app: QCoreApplication, name: str, path: Path | None) -> bool:
    if path is None:
        return False
    translator = QTranslator(app)
    translator.setObjectName(name)
    if not translator.load(str(path)):
        log.warning("The translation %s cannot be loaded; it is left out.", path.name)
        translator.deleteLater()
        return False
    app.installTranslator(translator)
    return True


def use_language(
    app: QCoreApplication,
    language: str,
    shop_locale: str = "en_GB",
    folder: Path = TRANSLATIONS_DIR,
    cache: Path | None = None,
) -> bool:
    """Speak `language` from now on (replacing any earlier choice); True when the app's own
    translation is installed, False for English or when it is missing."""
    # Our translators are the app's children with our names. Looked up by name, not with
    # findChildren(QTranslator), whose first call costs ~18 ms on the way to the first window.
    for name in (APP_TRANSLATOR, QT_TRANSLATOR):
        while isinstance(old := app.findChild(QObject, name), QTranslator):
            app.removeTranslator(old)
            old.setParent(None)
            old.deleteLater()
    QLocale.setDefault(locale_for(language, shop_locale))
    _install(app, QT_TRANSLATOR, qt_qm(language))
    return _install(app, APP_TRANSLATOR, app_qm(language, folder, cache))


def use_shop_language(app: QCoreApplication, setting: str, shop_locale: str) -> str:
    """Once the shop is known: speak the setting's language, else the shop's. Returns it."""
    language = language_for(setting, shop_locale)
    use_language(app, language, shop_locale)
    return language
