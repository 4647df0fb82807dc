"""No word reaches a person from the window's code without going through Qt's translations.

A Chinese or Russian reader must never meet an English word: every literal with letters that the
window hands to a widget (text, tooltips, titles, placeholders, tabs, menus, messages, dialogs)
must be the result of tr()/translate(). This reads the code, so a new untranslated label fails
here before anyone sees it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI = Path(__file__).resolve().parents[3] / "frontdesk" / "ui"

#: Methods and constructors whose string arguments a person reads.
SHOWN = {
    "setText",
    "setToolTip",
    "setWindowTitle",
    "setPlaceholderText",
    "showMessage",
    "addTab",
    "setTabText",
    "setTabToolTip",
    "addMenu",
    "addItem",
    "setLabelText",
    "setStatusTip",
    "setHorizontalHeaderLabels",
    "setTitle",
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QAction",
    "QGroupBox",
    "QToolButton",
    "QProgressDialog",
    "warning",
    "critical",
    "information",
    "question",
    "addRow",
}
LETTERS = re.compile(r"[A-Za-z]{2,}")


#: The product's name is the same in every language.
NAMES = {"FrontDesk"}


def _is_log(func: ast.expr) -> bool:
    """log.warning(...) is for support, in English; never shown to the person at the desk."""
    return isinstance(func, ast.Attribute) and getattr(func.value, "id", "") in {
        "log",
        "_log",
        "logger",
    }


def _literal_words(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if node.value in NAMES:
            return None
        return node.value if LETTERS.search(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return text if LETTERS.search(text) else None
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    return None


def untranslated() -> list[str]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in SHOWN or _is_log(func):
                continue
            for arg in [*node.args, *(k.value for k in node.keywords if k.arg != "objectName")]:
                words = _literal_words(arg)
                if words is not None:
                    where = path.relative_to(UI.parent.parent)
                    found.append(f"{where}:{node.lineno}: {name}({words!r})")
    return found


def test_every_word_the_window_shows_goes_through_the_translations() -> None:
    assert untranslated() == []
