"""tools/translations.py on a small project of its own, and `check` on the real one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from tools import translations as tool

UI_SOURCE = """
from PySide6.QtCore import QCoreApplication

def labels(n):
    QCoreApplication.translate("Checkout", "Take &payment")
    QCoreApplication.translate("Checkout", "Change due: {amount}")
    QCoreApplication.translate("Calendar", "%n appointment(s)", None, n)
"""
CLI_SOURCE = 'translate("cli", "Backed up {database} to {copy}")\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A checkout with one window module and a cli.py, and an empty translations folder."""
    (tmp_path / "frontdesk" / "ui" / "checkout").mkdir(parents=True)
    (tmp_path / "frontdesk" / "ui" / "checkout" / "area.py").write_text(UI_SOURCE)
    (tmp_path / "frontdesk" / "cli.py").write_text(CLI_SOURCE)
    (tmp_path / "ts").mkdir()
    return tmp_path


def tsv(path: Path, *rows: str) -> Path:
    path.write_text("context\tsource\tzh_CN\tru\n" + "".join(f"{row}\n" for row in rows))
    return path


GOOD_ROWS = (
    "Checkout\tTake &payment\t结账(&P)\t&Оплатить",
    "Checkout\tChange due: {amount}\t找零：{amount}\tСдача: {amount}",
    "Calendar\t%n appointment(s)\t%n 个预约\t%n запись | %n записи | %n записей",
    "cli\tBacked up {database} to {copy}\t已将 {database} 备份到 {copy}\t"
    "Резервная копия {database} сохранена в {copy}",
)


def test_update_apply_build_give_working_translations(project: Path, tmp_path: Path) -> None:
    ts = project / "ts"
    tool.update(ts, project)
    missing = tool.check(ts, project)
    assert len(missing) == 8  # four strings, two languages
    assert "ru Calendar: “%n appointment(s)”: not translated" in missing

    assert tool.apply(tsv(tmp_path / "t.tsv", *GOOD_ROWS), ts) == 8

    assert tool.check(ts, project) == []
    before = tool.ts_path("ru", ts).read_text(encoding="utf-8")
    tool.update(ts, project)  # lupdate keeps what apply wrote, byte for byte
    assert tool.ts_path("ru", ts).read_text(encoding="utf-8") == before
    built = tool.build(tmp_path / "qm", ts)
    ru = QTranslator()
    assert ru.load(str(built[1]))
    assert ru.translate("Calendar", "%n appointment(s)", None, 5) == "%n записей"
    assert ru.translate("Calendar", "%n appointment(s)", None, 22) == "%n записи"
    assert ru.translate("Checkout", "Take &payment") == "&Оплатить"
    zh = QTranslator()
    assert zh.load(str(built[0]))
    assert zh.translate("cli", "Backed up {database} to {copy}") == "已将 {database} 备份到 {copy}"


def test_update_drops_strings_no_longer_in_the_sources(project: Path, tmp_path: Path) -> None:
    ts = project / "ts"
    tool.update(ts, project)
    tool.apply(tsv(tmp_path / "t.tsv", *GOOD_ROWS), ts)
    (project / "frontdesk" / "cli.py").write_text("")

    tool.update(ts, project)

    assert "Backed up" not in tool.ts_path("zh_CN", ts).read_text(encoding="utf-8")
    assert "结账(&amp;P)" in tool.ts_path("zh_CN", ts).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            "Calendar\t%n appointment(s)\t%n 个预约\t%n запись | %n записи",
            r"2 plural form\(s\) given, ru needs 3",
        ),
        ("Checkout\tChange due: {amount}\t找零\tСдача: {amount}", r"markers \['\{amount\}'\]"),
        ("Checkout\tTake &payment\t结账\t&Оплатить", "&shortcut"),
        ("Checkout\tOnly two cells", "expected context, source, zh_CN, ru"),
    ],
)
def test_apply_refuses_a_row_that_would_break(
    project: Path, tmp_path: Path, row: str, problem: str
) -> None:
    ts = project / "ts"
    tool.update(ts, project)
    before = tool.ts_path("zh_CN", ts).read_text(encoding="utf-8")
    with pytest.raises(tool.TranslationError, match=problem):
        tool.apply(tsv(tmp_path / "t.tsv", GOOD_ROWS[0], row), ts)
    assert tool.ts_path("zh_CN", ts).read_text(encoding="utf-8") == before


def test_check_finds_a_string_added_to_the_code_without_update(
    project: Path, tmp_path: Path
) -> None:
    ts = project / "ts"
    tool.update(ts, project)
    tool.apply(tsv(tmp_path / "t.tsv", *GOOD_ROWS), ts)
    (project / "frontdesk" / "cli.py").write_text(CLI_SOURCE + 'translate("cli", "New words")\n')

    assert tool.check(ts, project) == [
        "zh_CN cli: “New words”: not translated",
        "ru cli: “New words”: not translated",
    ]


def test_every_string_of_the_program_is_translated() -> None:
    assert tool.check() == []


@pytest.mark.parametrize(
    "source",
    ["Save", "Take &payment", "%n client(s) found", "Change due: {amount} of %1", "<b>Due</b>"],
)
def test_pseudo_text_is_longer_and_keeps_every_marker(source: str) -> None:
    text = tool.pseudo_text(source)
    assert len(text) >= 1.4 * len(source)
    for marker in re.findall(r"%n|%\d|\{amount\}|&p|</?b>", source):
        assert marker in text
    assert not re.search(r"[a-zA-Z]{2}", re.sub(r"%n|\{amount\}|</?b>|&p", "", text))


def test_pseudo_builds_a_loadable_qm(project: Path, tmp_path: Path) -> None:
    path = tool.pseudo(tmp_path / "qm", project)
    pseudo = QTranslator()
    assert pseudo.load(str(path))
    assert pseudo.translate("Checkout", "Take &payment").startswith("[Ŧȧķḗ &pȧ")


def test_a_plural_with_a_variable_count_keeps_its_forms(project: Path, tmp_path: Path) -> None:
    """pyside6-lupdate makes translate(ctx, "%n …", None, n) a plain message unless n is a
    number literal; update keeps it a plural with its forms."""
    (project / "frontdesk" / "cli.py").write_text(
        'def found(n):\n    return translate("cli", "%n client(s) found", None, n)\n'
    )
    ts = project / "ts"
    tool.update(ts, project)
    row = "cli\t%n client(s) found\t找到 %n 位顾客\t" + " | ".join(
        f"Найден{end} %n клиент{tail}" for end, tail in (("", ""), ("о", "а"), ("о", "ов"))
    )
    tool.apply(tsv(tmp_path / "t.tsv", row), ts)
    tool.update(ts, project)

    assert [p for p in tool.check(ts, project) if "found" in p] == []
    ru = QTranslator()
    assert ru.load(str(tool.build(tmp_path / "qm", ts)[1]))
    assert ru.translate("cli", "%n client(s) found", None, 21) == "Найден %n клиент"
    assert ru.translate("cli", "%n client(s) found", None, 3) == "Найдено %n клиента"


def test_check_names_calls_lupdate_cannot_read(project: Path) -> None:
    (project / "frontdesk" / "ui" / "checkout" / "area.py").write_text(
        "class Area:\n"
        "    def show(self, items, name):\n"
        '        self.tr(f"Hello {name}")\n'
        '        QCoreApplication.translate("Area", "%n item(s)", None, len(items))\n'
        '        QCoreApplication.translate("Area", "Saved", disambiguation="status")\n'
        '        self.tr("Fine")\n'
    )
    tool.update(project / "ts", project)

    problems = tool.check(project / "ts", project)

    where = "frontdesk/ui/checkout/area.py"
    assert problems[:3] == [
        f"{where}:3: an f-string is never translated; translate the text with {{name}} "
        "markers, then .format() it",
        f"{where}:4: lupdate cannot read this call (“%n item(s)”): give the text, comment and "
        "count as plain arguments (a name or a number for the count, no keywords, no "
        "expressions)",
        f"{where}:5: lupdate cannot read this call (“Saved”): give the text, comment and "
        "count as plain arguments (a name or a number for the count, no keywords, no "
        "expressions)",
    ]
    assert "zh_CN Area: “Fine”: not translated" in problems
