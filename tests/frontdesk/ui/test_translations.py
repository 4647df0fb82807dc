"""The window speaks the chosen language: Qt's own words and the app's, from real .qm files."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from frontdesk.settings import language_for
from frontdesk.ui import translations
from frontdesk.ui.translations import app_qm, use_language, use_shop_language
from tools import translations as tool

pytestmark = pytest.mark.gui


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, put back to English and its default locale afterwards."""
    default = QLocale()
    yield qapp
    use_language(qapp, "en", "en_GB")
    QLocale.setDefault(default)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real committed .ts, compiled into a folder of their own."""
    folder = tmp_path_factory.mktemp("qm")
    tool.build(folder)
    return folder


def standard_buttons(qtbot: QtBot) -> tuple[str, str]:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "FrontDesk",
        "?",
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
    )
    qtbot.addWidget(box)
    ok, cancel = (
        box.button(b) for b in (QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.Cancel)
    )
    return ok.text(), cancel.text()


@pytest.mark.parametrize(
    ("language", "shop_locale", "cancel", "interrupted", "locale"),
    [
        ("zh_CN", "zh_CN", "取消", "已中断", "zh_CN"),
        ("ru", "ru_RU", "Отмена", "прервано", "ru_RU"),
        ("en", "en_GB", "Cancel", "interrupted", "en_GB"),
    ],
)
def test_qt_and_app_words_follow_the_language(
    app: QApplication,
    qtbot: QtBot,
    built: Path,
    language: str,
    shop_locale: str,
    cancel: str,
    interrupted: str,
    locale: str,
) -> None:
    assert use_language(app, language, shop_locale, folder=built) is (language != "en")

    assert standard_buttons(qtbot)[1] == cancel  # from Qt's own qtbase_<lang>.qm
    assert QCoreApplication.translate("cli", "interrupted") == interrupted  # from the app's .qm
    assert QLocale().name() == locale


def test_a_later_choice_replaces_the_earlier_one(
    app: QApplication, qtbot: QtBot, built: Path
) -> None:
    use_language(app, "ru", "ru_RU", folder=built)
    use_language(app, "zh_CN", "ru_RU", folder=built)  # a Russian shop, a Chinese receptionist

    assert standard_buttons(qtbot) == ("确定", "取消")
    assert QCoreApplication.translate("cli", "interrupted") == "已中断"
    assert QLocale().name() == "zh_CN"


@pytest.mark.parametrize(
    ("setting", "shop_locale", "language"),
    [
        ("", "zh_CN", "zh_CN"),
        ("", "zh_Hant_TW", "zh_CN"),
        ("", "ru_RU", "ru"),
        ("", "ru", "ru"),
        ("", "en_GB", "en"),
        ("", "fr_FR", "en"),
        ("en", "ru_RU", "en"),
        ("ru", "zh_CN", "ru"),
    ],
)
def test_the_setting_wins_over_the_shop_locale(
    setting: str, shop_locale: str, language: str
) -> None:
    assert language_for(setting, shop_locale) == language


def test_the_shop_locale_is_spoken_from_the_program_own_files(app: QApplication) -> None:
    """resources/translations as the program finds it: built .qm, or built now from the .ts."""
    assert use_shop_language(app, "", "ru_RU") == "ru"
    assert QCoreApplication.translate("cli", "interrupted") == "прервано"


def test_a_missing_qm_is_built_from_its_source_into_the_cache(tmp_path: Path) -> None:
    sources = tmp_path / "translations"
    sources.mkdir()
    shutil.copy(tool.ts_path("ru"), sources)

    found = app_qm("ru", sources, cache=tmp_path / "cache")

    assert found == tmp_path / "cache" / "frontdesk_ru.qm"
    assert found.is_file()
    assert not (sources / "frontdesk_ru.qm").exists()


@pytest.mark.expect_log("frontdesk.ui.translations", logging.WARNING)
def test_without_qm_or_lrelease_the_window_stays_english_and_says_why(
    app: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sources = tmp_path / "translations"
    sources.mkdir()
    shutil.copy(tool.ts_path("zh_CN"), sources)
    monkeypatch.setattr(translations, "_lrelease", lambda: None)

    with caplog.at_level(logging.WARNING, logger=translations.__name__):
        assert use_language(app, "zh_CN", "zh_CN", folder=sources, cache=tmp_path / "c") is False

    assert QCoreApplication.translate("cli", "interrupted") == "interrupted"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "the window stays in English" in warnings[0].getMessage()
