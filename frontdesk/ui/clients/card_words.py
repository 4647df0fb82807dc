"""The card's codes as people read them (pressure, room temperature, consent channels, health
entry kinds and severities), in the window's language."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "CardWords"

_WORDS: dict[str, object] = {  # found by lupdate, translated on use
    # pressure
    "light": QT_TRANSLATE_NOOP("CardWords", "Light"),
    "medium": QT_TRANSLATE_NOOP("CardWords", "Medium"),
    "firm": QT_TRANSLATE_NOOP("CardWords", "Firm"),
    "deep": QT_TRANSLATE_NOOP("CardWords", "Deep"),
    # room temperature
    "cooler": QT_TRANSLATE_NOOP("CardWords", "Cooler than usual"),
    "usual": QT_TRANSLATE_NOOP("CardWords", "As usual"),
    "warmer": QT_TRANSLATE_NOOP("CardWords", "Warmer than usual"),
    # how marketing consent was given
    "sms": QT_TRANSLATE_NOOP("CardWords", "Text message"),
    "email": QT_TRANSLATE_NOOP("CardWords", "E-mail"),
    "phone": QT_TRANSLATE_NOOP("CardWords", "Phone call"),
    "in_person": QT_TRANSLATE_NOOP("CardWords", "In person"),
    "messenger": QT_TRANSLATE_NOOP("CardWords", "Messenger"),
    # health entries
    "allergy": QT_TRANSLATE_NOOP("CardWords", "Allergy"),
    "contraindication": QT_TRANSLATE_NOOP("CardWords", "Contraindication"),
    "mild": QT_TRANSLATE_NOOP("CardWords", "mild"),
    "moderate": QT_TRANSLATE_NOOP("CardWords", "moderate"),
    "severe": QT_TRANSLATE_NOOP("CardWords", "severe"),
}


def word(code: str) -> str:
    """The translated word for `code`, or the code itself when it is not one of ours."""
    source = _WORDS.get(code)
    return QCoreApplication.translate(CONTEXT, str(source)) if source else code
