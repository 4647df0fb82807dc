"""Fields that take scans: a scanned code goes into the focused field instead of opening a client.

The card scanner normally opens the scanned client's card. A field that holds a barcode (a
product's, a test field) says it takes scans with the Qt property `takes_scans`; while it has
the keyboard focus, the main window hands it the code instead (`deliver_scan`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

#: The Qt property that marks a widget as taking scans.
TAKES_SCANS = "takes_scans"


def mark_takes_scans(widget: QWidget) -> QWidget:
    """Make `widget` receive scanned codes while it has the focus."""
    widget.setProperty(TAKES_SCANS, True)
    return widget


def scan_target(window: QWidget) -> QWidget | None:
    """The focused widget of `window` when it takes scans, else None."""
    focused = QApplication.focusWidget()
    if focused is None or focused.window() is not window.window():
        return None
    return focused if bool(focused.property(TAKES_SCANS)) else None


def deliver_scan(target: QWidget, code: str) -> None:
    """Put `code` in `target`: a line edit's text is replaced (and editing finished, as if
    typed and Enter pressed); any other widget gets `take_scan(code)` if it has one."""
    if isinstance(target, QLineEdit):
        target.setText(code)
        target.selectAll()
        target.editingFinished.emit()
        return
    take = getattr(target, "take_scan", None)
    if callable(take):
        take(code)
