"""The few colours and styles shared by every area."""

ALLERGY_BANNER = (
    "QLabel { background: #fde2e1; color: #8a1c13; border: 1px solid #e5a39e;"
    " border-radius: 6px; padding: 8px; font-weight: bold; }"
)
NOTICE = "QLabel { color: #555; font-size: 15px; padding: 24px; }"
#: Something the person should know that does not stop them (amber).
WARNING_BANNER = (
    "QLabel { background: #fff4d6; color: #6b4a00; border: 1px solid #e8c36a;"
    " border-radius: 6px; padding: 8px; }"
)
ERROR_TEXT = "QLabel { color: #b3261e; }"
SUCCESS_BANNER = (
    "QLabel { background: #e3f4e8; color: #1d5b2c; border: 1px solid #9fd3ad;"
    " border-radius: 6px; padding: 8px; }"
)
TITLE = "QLabel { font-size: 18px; font-weight: 600; }"
#: Fields a role may read but not change: greyed, so they do not look like something to type in.
READ_ONLY_FIELDS = (
    'QLineEdit:read-only, QPlainTextEdit[readOnly="true"] {'
    " background: #eceff1; color: #333; border: 1px solid #d5dade; }"
)
#: A notice inside a form (no padding of its own: it follows the fields it speaks of).
HINT = "QLabel { color: #555; font-size: 15px; padding: 4px 0; }"
