"""The Health tab's two add forms (an allergy or contraindication; a patch test) and the offer
to record the client's consent when it is missing.

Each form says what was typed as a request (the clients area runs it), shows each bad field's
message beside it, and keeps what was typed until it is added or another client is shown.
Enter anywhere in a form adds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.health import ALLERGENS, KINDS, SEVERITIES, fold
from frontdesk.ui import style
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.labels import allergen_label, health_kind_label
from frontdesk.ui.widgets.field_form import FieldForm


@dataclass(frozen=True)
class EntryRequest:
    """An allergy or contraindication as typed: `substance` is a listed allergen's code or
    free text."""

    customer_id: int
    kind: str
    substance: str
    severity: str
    notes: str


@dataclass(frozen=True)
class PatchTestRequest:
    customer_id: int
    tested_on: date | None
    product: str
    result: str


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("QLabel { font-weight: 600; }")
    label.setWordWrap(True)
    return label


def _is_enter(event: QEvent) -> bool:
    return (
        isinstance(event, QKeyEvent)
        and event.type() == QEvent.Type.KeyPress
        and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        and event.modifiers()
        in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
    )


class ConsentOffer(QFrame):
    """Shown when health data is refused for want of the client's consent: it says so plainly
    and offers to record the consent together with what was typed (Esc: not now)."""

    accepted = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"QFrame#{name} {{ background: #fff4e5; border: 1px solid #b26a00;"
            " border-radius: 4px; }"
            " QLabel { background: transparent; }"
        )
        self.message = QLabel()
        self.message.setObjectName("consentMessage")
        self.message.setWordWrap(True)
        self.agree_button = QPushButton(self.tr("Cl&ient agrees: record consent and add"))
        self.agree_button.setObjectName("consentAndAdd")
        self.agree_button.setToolTip(
            self.tr("Only if the client has just agreed that we keep their health data")
        )
        self.not_now_button = QPushButton(self.tr("Not now"))
        self.not_now_button.setObjectName("consentNotNow")
        self.not_now_button.setToolTip(self.tr("Keep what was typed and add nothing (Esc)"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.not_now_button)
        buttons.addWidget(self.agree_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.agree_button.clicked.connect(self.accepted)
        self.not_now_button.clicked.connect(self.hide)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self,
            self.hide,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.hide()

    def offer(self, client: str) -> None:
        self.message.setText(
            self.tr(
                "{client} has not agreed that we keep health data. Ask the client first: "
                "nothing is recorded without their consent."
            ).format(client=client)
        )
        self.show()
        self.agree_button.setFocus()


class HealthForm(QFrame):
    """What both forms share: fields with their errors, the add button, a message for what
    belongs to no field, and the consent offer. Subclasses build the fields (and hold the
    words: a subclass's tr() would not find its parent's translations)."""

    # Add what is typed; `consent`: the client has just agreed to keep health data.
    add_requested = Signal(bool)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.fields = FieldForm()
        self.title = _title("")
        self.add_button = QPushButton()
        self.message = QLabel()
        self.message.setStyleSheet(style.ERROR_TEXT)
        self.message.setWordWrap(True)
        self.message.hide()
        self.consent = ConsentOffer(f"{name}Consent")
        self.add_button.clicked.connect(self.add)
        self.consent.accepted.connect(self.add_with_consent)

    def _lay_out(self) -> None:
        for widget in self.fields.widgets.values():  # Alt+letter takes the keyboard there
            label = self.fields.labelForField(widget)
            if isinstance(label, QLabel):
                label.setBuddy(widget)
        self.add_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(self.fields)
        layout.addLayout(row)
        layout.addWidget(self.consent)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in a field without returnPressed (a list, a date) adds too."""
        if _is_enter(event) and watched in self.fields.widgets.values():
            self.submit()
            return True
        return super().eventFilter(watched, event)

    def add(self) -> None:
        """Add (the button, Enter)."""
        self.submit()

    def add_with_consent(self) -> None:
        """The client has just agreed: record the consent and add."""
        self.submit(consent=True)

    def submit(self, *, consent: bool = False) -> None:
        if not self.add_button.isEnabled():
            return  # one add at a time
        self.clear_errors()
        self.add_button.setEnabled(False)
        self.add_requested.emit(consent)

    def finished(self) -> None:
        self.add_button.setEnabled(True)

    def clear_errors(self) -> None:
        self.fields.clear_errors()
        self.message.hide()
        self.consent.hide()

    def show_errors(self, errors: dict[str, str]) -> None:
        self.show_message(" ".join(self.fields.show_errors(errors)))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def shown_errors(self) -> dict[str, str]:
        return self.fields.shown_errors()

    def first_field(self) -> QWidget:
        return next(iter(self.fields.widgets.values()))

    def added(self) -> None:
        self.clear()
        self.first_field().setFocus()

    def clear(self) -> None:
        raise NotImplementedError


class EntryForm(HealthForm):
    """An allergy or contraindication: kind, what (the maintained list or free text),
    severity and notes."""

    def __init__(self) -> None:
        super().__init__("addHealthEntry")
        self.title.setText(self.tr("Add allergy or contraindication (Ctrl+Shift+H)"))
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(health_kind_label(kind), kind)
        self.substance = QComboBox()
        self.substance.setEditable(True)
        self.substance.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.substance.setMaxVisibleItems(15)
        edit = self.substance.lineEdit()
        assert edit is not None  # an editable combo has one
        self.substance_edit = edit
        edit.setPlaceholderText(self.tr("Choose from the list or type"))
        self.substance.addItem("", "")
        for item in ALLERGENS:
            self.substance.addItem(allergen_label(item.code), item.code)
        self.substance.setCurrentIndex(0)
        completer = QCompleter(self.substance.model(), self.substance)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # any part of the name
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.substance.setCompleter(completer)
        self.severity = QComboBox()
        self.severity.addItem(self.tr("— choose —"), "")
        words = {
            "mild": self.tr("Mild"),
            "moderate": self.tr("Moderate"),
            "severe": self.tr("Severe"),
        }
        for code in SEVERITIES:
            self.severity.addItem(words[code], code)
        self.notes = QLineEdit()
        self.notes.setPlaceholderText(self.tr("e.g. what to use instead"))
        self.fields.add_widget("kind", self.tr("&Kind"), self.kind)
        self.fields.add_widget("substance", self.tr("&What"), self.substance)
        self.fields.add_widget("severity", self.tr("Se&verity"), self.severity)
        self.fields.add_widget("notes", self.tr("N&otes"), self.notes)
        self.add_button.setText(self.tr("&Add"))
        self.add_button.setObjectName("addHealthEntryButton")
        self.add_button.setToolTip(self.tr("Add to the client's card (Enter)"))
        self.message.setObjectName("healthEntryMessage")
        self._lay_out()
        self.kind.installEventFilter(self)
        self.severity.installEventFilter(self)
        edit.returnPressed.connect(self._substance_entered)
        self.notes.returnPressed.connect(self.add)
        self.substance.activated.connect(self._allergen_chosen)

    def _substance_entered(self) -> None:
        """Enter adds, unless it is choosing from the filtered list (the line edit hears that
        Enter before the list closes)."""
        completer = self.substance.completer()
        popup = completer.popup() if completer is not None else None
        if popup is not None and popup.isVisible():
            return
        self.add()

    def severity_word(self, code: str) -> str:
        index = self.severity.findData(code)
        return self.severity.itemText(index) if index > 0 else code

    def _allergen_chosen(self, index: int) -> None:
        """A listed item carries its kind: choosing "Pregnancy" makes it a contraindication."""
        code = self.substance.itemData(index)
        for item in ALLERGENS:
            if item.code == code:
                self.kind.setCurrentIndex(self.kind.findData(item.kind))
                return

    def substance_value(self) -> str:
        """The listed allergen's code when the text is one of the list's names (in the
        window's language or English), else the text as typed."""
        text = self.substance.currentText()
        folded = fold(text)
        if folded:
            for item in ALLERGENS:
                if folded in (fold(allergen_label(item.code)), fold(item.name), item.code):
                    return item.code
        return text

    def request(self, customer_id: int) -> EntryRequest:
        return EntryRequest(
            customer_id=customer_id,
            kind=str(self.kind.currentData() or ""),
            substance=self.substance_value(),
            severity=str(self.severity.currentData() or ""),
            notes=self.notes.text(),
        )

    def clear(self) -> None:
        self.kind.setCurrentIndex(0)
        self.substance.setCurrentIndex(0)
        self.substance.setEditText("")
        self.severity.setCurrentIndex(0)
        self.notes.clear()
        self.clear_errors()


class PatchTestForm(HealthForm):
    """A patch test: when, which product, how it went (a date in the future is refused)."""

    def __init__(self) -> None:
        super().__init__("addPatchTest")
        self.title.setText(self.tr("Add a patch test"))
        self.tested_on = QDateEdit()
        self.tested_on.setCalendarPopup(True)
        self.product = QLineEdit()
        self.result = QLineEdit()
        self.result.setPlaceholderText(self.tr("e.g. no reaction after 48 hours"))
        self.fields.add_widget("tested_on", self.tr("Teste&d on"), self.tested_on)
        self.fields.add_widget("product", self.tr("Produc&t"), self.product)
        self.fields.add_widget("result", self.tr("Resu&lt"), self.result)
        self.add_button.setText(self.tr("Add patch test"))  # Enter adds; Alt+E is the tab
        self.add_button.setObjectName("addPatchTestButton")
        self.add_button.setToolTip(self.tr("Add the patch test to the client's card (Enter)"))
        self.message.setObjectName("patchTestMessage")
        self._lay_out()
        self.tested_on.installEventFilter(self)
        self.product.returnPressed.connect(self.add)
        self.result.returnPressed.connect(self.add)
        self._locale = ""

    def use_locale(self, locale: str) -> None:
        """Write the date like the rest of the window."""
        if locale != self._locale:
            self._locale = locale
            self.tested_on.setLocale(QLocale(locale))
            self.tested_on.setDisplayFormat(qt_date_format(locale))

    def request(self, customer_id: int) -> PatchTestRequest:
        return PatchTestRequest(
            customer_id=customer_id,
            tested_on=self.tested_on.date().toPython(),  # type: ignore[arg-type]
            product=self.product.text(),
            result=self.result.text(),
        )

    def clear(self) -> None:
        self.tested_on.setDate(QDate.currentDate())
        self.product.clear()
        self.result.clear()
        self.clear_errors()
