"""A form whose every field has its error message right beside it."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QMainWindow, QWidget

from frontdesk.ui import style


class FieldForm(QFormLayout):
    """Fields by name, each followed by a hidden error label that `show_errors` fills.

    `edits` holds the line edits (`add_field`); `widgets` every field, whatever its kind
    (`add_widget`: spin boxes, combo boxes, tables...).
    """

    def __init__(self) -> None:
        super().__init__()
        self.edits: dict[str, QLineEdit] = {}
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

    def add_field(
        self, name: str, label: str, text: str = "", *, secret: bool = False
    ) -> QLineEdit:
        edit = QLineEdit(text)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(8)
        self.edits[name] = edit
        self.add_widget(name, label, edit)
        return edit

    def add_widget(self, name: str, label: str, widget: QWidget) -> QWidget:
        """Add any widget as the field `name`, with its error label below it."""
        widget.setObjectName(name)
        error = QLabel()
        error.setObjectName(f"{name}_error")
        error.setStyleSheet(style.ERROR_TEXT)
        error.setWordWrap(True)
        error.hide()
        self.widgets[name] = widget
        self.errors[name] = error
        self.addRow(label, widget)
        self.addRow("", error)
        return widget

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()

    def shown_errors(self) -> dict[str, str]:
        """The messages now shown, by field (for tests and screen readers)."""
        return {name: label.text() for name, label in self.errors.items() if not label.isHidden()}

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Show each message beside its field and focus the first bad one; returns the
        messages that belong to no field."""
        unplaced = [message for name, message in errors.items() if name not in self.errors]
        for name, message in errors.items():
            if name in self.errors:
                self.errors[name].setText(message)
                self.errors[name].show()
        self._make_room()
        first_bad = next((name for name in self.widgets if name in errors), None)
        if first_bad is not None:
            self.widgets[first_bad].setFocus()
        return unplaced

    def _make_room(self) -> None:
        """Grow the window so every wrapped message is seen whole (a shown window does not
        grow by itself for text that wraps onto more lines)."""
        parent = self.parentWidget()
        if parent is None:
            return
        window = parent.window()
        layout = window.layout()
        if layout is None or isinstance(window, QMainWindow):  # a page scrolls instead
            return
        layout.activate()
        needed = (
            layout.totalHeightForWidth(window.width())
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > window.height():
            window.resize(window.width(), needed)
