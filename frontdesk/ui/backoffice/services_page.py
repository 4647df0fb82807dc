"""The back office's Services page: the service menu, its categories and dated prices.

The list shows every service with its category, length and price today; the form edits one.
A changed price holds from the date beside it (today unless a later day is chosen, which
schedules it): sales and bookings already made keep the price they were made at. The
categories panel under the list adds, renames, orders and archives categories; a service's
category can also be typed into its combo box, which creates it on save.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QLocale, QStringListModel, Qt
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QCompleter,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.catalogue import (
    MAX_CATEGORY,
    MAX_NAME,
    MAX_ROOM_KIND,
    ServiceForm,
    amount_for_form,
    rate_for_form,
    read_service_form,
)
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.money import Money, percent_label
from frontdesk.domain.roles import Permission
from frontdesk.services.catalogue import CategoryRecord, EquipmentChoice, ServiceRecord
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.ui import style
from frontdesk.ui.backoffice.records_page import RecordRow, RecordsPage
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text


@dataclass(frozen=True)
class _Choices:
    """What the form offers: categories, equipment, room kinds and the default tax rate."""

    categories: tuple[CategoryRecord, ...]
    equipment: tuple[EquipmentChoice, ...]
    room_kinds: tuple[str, ...]
    default_tax_rate_bp: int


class _EquipmentList(QWidget):
    """A checklist of the shop's equipment, each with how many the service needs."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[int, tuple[QCheckBox, QSpinBox]] = {}
        self._lines: list[QWidget] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel(self.tr("No equipment yet: add it under Rooms and equipment."))
        self.empty.setWordWrap(True)
        self._layout.addWidget(self.empty)

    def set_choices(self, choices: Sequence[EquipmentChoice]) -> None:
        wanted = self.value()
        for old in self._lines:
            old.deleteLater()
        self._lines.clear()
        self._rows.clear()
        for choice in choices:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            box = QCheckBox(choice.name)
            box.setObjectName(f"equipment_{choice.id}")
            spin = QSpinBox()
            spin.setObjectName(f"equipment_quantity_{choice.id}")
            spin.setRange(1, max(1, choice.quantity))
            spin.setSuffix(self.tr(" of {total}").format(total=choice.quantity))
            spin.setEnabled(False)
            box.toggled.connect(spin.setEnabled)
            line.addWidget(box, 1)
            line.addWidget(spin)
            self._layout.addWidget(row)
            self._lines.append(row)
            self._rows[choice.id] = (box, spin)
        self.empty.setVisible(not choices)
        self.set_value(wanted)
        self._layout.activate()
        self.updateGeometry()

    def set_value(self, pairs: Sequence[tuple[int, int]]) -> None:
        chosen = dict(pairs)
        for resource_id, (box, spin) in self._rows.items():
            box.setChecked(resource_id in chosen)
            spin.setValue(chosen.get(resource_id, 1))

    def value(self) -> tuple[tuple[int, int], ...]:
        return tuple(
            (resource_id, spin.value())
            for resource_id, (box, spin) in self._rows.items()
            if box.isChecked()
        )


_COLOR_ROLE = Qt.ItemDataRole.UserRole + 1


def _swatch(color: str) -> QIcon:
    """A small square of a category's colour, beside its name."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class _CategoriesPanel(QGroupBox):
    """Add, rename, order and archive the categories services are sorted into."""

    def __init__(self, page: ServicesPage) -> None:
        super().__init__(self.tr("Categories"))
        self.setObjectName("categoriesPanel")
        self.page = page
        self.list = QListWidget()
        self.list.setObjectName("categoryList")
        self.list.setMaximumHeight(130)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("categoryName")
        self.name_edit.setMaxLength(MAX_CATEGORY)
        self.name_edit.setPlaceholderText(self.tr("Category name"))
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("addCategory")
        self.add_button.setToolTip(self.tr("Add a category with this name"))
        self.rename_button = QPushButton(self.tr("Rename"))
        self.rename_button.setObjectName("renameCategory")
        self.rename_button.setToolTip(self.tr("Give the chosen category this name"))
        self.up_button = QPushButton(self.tr("Up"))
        self.up_button.setObjectName("categoryUp")
        self.up_button.setToolTip(self.tr("Show the chosen category earlier (Alt+Up)"))
        self.down_button = QPushButton(self.tr("Down"))
        self.down_button.setObjectName("categoryDown")
        self.down_button.setToolTip(self.tr("Show the chosen category later (Alt+Down)"))
        self.color_button = QPushButton(self.tr("Colour…"))
        self.color_button.setObjectName("categoryColor")
        self.color_button.setToolTip(
            self.tr("The colour the calendar shows the chosen category's appointments in")
        )
        #: The colour dialog while it is open.
        self.color_dialog: QColorDialog | None = None
        self.archive_button = QPushButton(self.tr("Archive"))
        self.archive_button.setObjectName("archiveCategory")
        self.archive_button.setToolTip(self.tr("Archive the chosen category (it must be empty)"))
        self.problem = QLabel()
        self.problem.setObjectName("categoryProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(style.ERROR_TEXT)
        self.problem.hide()
        name_row = QHBoxLayout()
        name_row.addWidget(self.add_button)
        name_row.addWidget(self.rename_button)
        move_row = QHBoxLayout()
        move_row.addWidget(self.up_button)
        move_row.addWidget(self.down_button)
        move_row.addStretch(1)
        move_row.addWidget(self.color_button)
        move_row.addWidget(self.archive_button)
        column = QVBoxLayout(self)
        column.addWidget(self.list)
        column.addWidget(self.name_edit)
        column.addLayout(name_row)
        column.addLayout(move_row)
        column.addWidget(self.problem)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.up_button.clicked.connect(lambda: self.move_chosen(-1))
        self.down_button.clicked.connect(lambda: self.move_chosen(1))
        self.archive_button.clicked.connect(self.archive)
        self.color_button.clicked.connect(self.choose_color)
        self.name_edit.returnPressed.connect(self.add)
        self.list.currentItemChanged.connect(self._chosen)
        QShortcut(QKeySequence("Alt+Up"), self.list, lambda: self.move_chosen(-1))
        QShortcut(QKeySequence("Alt+Down"), self.list, lambda: self.move_chosen(1))
        editable = page.may_edit()
        for widget in (
            self.name_edit,
            self.add_button,
            self.rename_button,
            self.up_button,
            self.down_button,
            self.color_button,
            self.archive_button,
        ):
            widget.setEnabled(editable)

    def set_categories(self, categories: Sequence[CategoryRecord]) -> None:
        chosen = self.chosen_id()
        self.list.clear()
        for category in categories:
            item = QListWidgetItem(category.name)
            item.setData(Qt.ItemDataRole.UserRole, category.id)
            item.setData(_COLOR_ROLE, category.shown_color)
            item.setIcon(_swatch(category.shown_color))
            self.list.addItem(item)
            if category.id == chosen:
                self.list.setCurrentItem(item)

    def chosen_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _chosen(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.name_edit.setText(current.text())

    def _run(self, work: Callable[[], object]) -> None:
        self.problem.hide()
        self.page.desk.runner.run(
            work,
            doing=self.tr("changing the categories"),
            on_done=lambda _result: self.page.refresh(),
            on_known_error=self._refused,
        )

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, DomainError):
            self.problem.setText(error_text(error, self.page.desk.formats()))
            self.problem.show()
            return True
        return False

    def add(self) -> None:
        name, desk = self.name_edit.text(), self.page.desk
        self._run(lambda: desk.services.catalogue.save_category(name, desk.user))

    def rename(self) -> None:
        chosen, name, desk = self.chosen_id(), self.name_edit.text(), self.page.desk
        if chosen is not None:
            self._run(lambda: desk.services.catalogue.save_category(name, desk.user, chosen))

    def move_chosen(self, step: int) -> None:
        chosen, desk = self.chosen_id(), self.page.desk
        if chosen is not None and self.up_button.isEnabled():
            self._run(lambda: desk.services.catalogue.move_category(chosen, step, desk.user))

    def choose_color(self) -> None:
        """Pick the chosen category's calendar colour in Qt's colour dialog."""
        item = self.list.currentItem()
        if item is None or not self.color_button.isEnabled():
            return
        chosen, desk = int(item.data(Qt.ItemDataRole.UserRole)), self.page.desk
        dialog = QColorDialog(QColor(str(item.data(_COLOR_ROLE))), self)
        dialog.setObjectName("categoryColorDialog")
        dialog.setWindowTitle(self.tr("Colour of “{name}”").format(name=item.text()))
        dialog.colorSelected.connect(
            lambda color: self._run(
                lambda: desk.services.catalogue.set_category_color(chosen, color.name(), desk.user)
            )
        )
        self.color_dialog = dialog
        dialog.open()

    def archive(self) -> None:
        chosen, desk = self.chosen_id(), self.page.desk
        if chosen is not None:
            self._run(
                lambda: desk.services.catalogue.set_category_archived(chosen, True, desk.user)
            )


class ServicesPage(RecordsPage):
    """The service menu: a list of services beside the chosen one's form."""

    kinds = (ChangeKind.CATALOGUE, ChangeKind.ROOMS, ChangeKind.SHOP)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        self._choices = _Choices((), (), (), 0)
        self._record: ServiceRecord | None = None
        super().__init__(desk, parent)
        self.saved.connect(self._reload)

    def _reload(self, service_id: int) -> None:
        """Show the saved service as stored: today's price and any change now scheduled."""
        self.desk.runner.run(
            self.load_work(service_id),
            doing=self.tr("opening a service"),
            on_done=lambda record: (
                self.show_record(record) if self.current_id == service_id else None
            ),
        )

    # -- hooks --------------------------------------------------------------------------------

    def texts(self) -> dict[str, str]:
        return {
            "search": self.tr("Search services, categories, tags"),
            "new": self.tr("New service"),
            "empty": self.tr(
                "No services yet. Press New service (Ctrl+N) to add the first one; its "
                "category is created as you name it."
            ),
            "none_chosen": self.tr("Choose a service on the left, or add a new one (Ctrl+N)."),
            "archived": self.tr(
                "This service is archived: it is no longer offered. Past sales and bookings "
                "keep it. Restore it to offer it again."
            ),
        }

    def may_edit(self) -> bool:
        return self.desk.user.can(Permission.MANAGE_CATALOGUE)

    def build_side(self) -> QWidget | None:
        self.categories_panel = _CategoriesPanel(self)
        return self.categories_panel

    def list_work(self) -> Callable[[], Sequence[RecordRow]]:
        catalogue, user = self.desk.services.catalogue, self.desk.user
        formats = self.desk.formats()
        detail = self.tr("{category} · {minutes} min · {price}")

        def work() -> list[RecordRow]:
            return [
                RecordRow(
                    id=s.id,
                    title=s.name,
                    detail=detail.format(
                        category=s.category,
                        minutes=s.duration_minutes,
                        price=formats.money(Money(s.price_minor, s.currency)),
                    ),
                    archived=not s.active,
                    search_text=" ".join((*s.ingredients, *s.contraindications)),
                )
                for s in catalogue.services(user, include_archived=True)
            ]

        return work

    def refresh(self, changes: Changes | None = None) -> None:
        super().refresh(changes)
        catalogue, user = self.desk.services.catalogue, self.desk.user

        def work() -> _Choices:
            return _Choices(
                tuple(catalogue.categories(user)),
                catalogue.equipment_choices(user),
                catalogue.room_kinds(user),
                catalogue.default_tax_rate(),
            )

        self.desk.runner.run(work, doing=self.tr("reading the categories"), on_done=self._chosen)

    def _chosen(self, choices: _Choices) -> None:
        self._choices = choices
        self.categories_panel.set_categories(choices.categories)
        typed = self.category_combo.currentText()
        self.category_combo.blockSignals(True)
        self.category_combo.clear()
        for category in choices.categories:
            self.category_combo.addItem(category.name, category.id)
        self.category_combo.setCurrentText(typed)
        self.category_combo.blockSignals(False)
        self.room_kind_model.setStringList(list(choices.room_kinds))
        self.equipment_list.set_choices(choices.equipment)

    def build_form(self) -> QWidget:
        form = QWidget()
        fields = self.fields
        self.category_combo = QComboBox()
        self.category_combo.setEditable(True)
        self.category_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        typed = self.category_combo.lineEdit()
        assert typed is not None  # an editable combo box has its line edit
        typed.setMaxLength(MAX_CATEGORY)
        typed.setPlaceholderText(self.tr("Choose, or type a new one"))
        fields.add_widget("service_category", self.tr("Category"), self.category_combo)
        self.name_edit = fields.add_field("name", self.tr("Name"))
        self.name_edit.setMaxLength(MAX_NAME)
        self.duration_edit = fields.add_field("duration", self.tr("Duration (minutes)"))
        self.buffer_edit = fields.add_field("buffer", self.tr("Buffer after (minutes)"))
        self.buffer_edit.setToolTip(
            self.tr("Time to clean up or for products to work, kept free after the service")
        )
        self.price_edit = fields.add_field("service_price", self.tr("Price"))
        self.price_edit.setToolTip(self.tr("The price with tax included"))
        self.price_from_edit = QDateEdit()
        self.price_from_edit.setCalendarPopup(True)
        locale = self.desk.formats().locale
        self.price_from_edit.setLocale(QLocale(locale))
        self.price_from_edit.setDisplayFormat(qt_date_format(locale))
        self.price_from_edit.setToolTip(
            self.tr(
                "A changed price or tax rate applies from this day; a later day schedules it. "
                "Sales and bookings already made keep their price."
            )
        )
        fields.add_widget("price_from", self.tr("New price from"), self.price_from_edit)
        self.price_note = QLabel()
        self.price_note.setObjectName("priceNote")
        self.price_note.setWordWrap(True)
        self.cancel_scheduled_button = QPushButton(self.tr("Cancel the scheduled change"))
        self.cancel_scheduled_button.setObjectName("cancelScheduledPrice")
        self.cancel_scheduled_button.clicked.connect(self._cancel_scheduled)
        note_row = QWidget()
        note_line = QHBoxLayout(note_row)
        note_line.setContentsMargins(0, 0, 0, 0)
        note_line.addWidget(self.price_note, 1)
        note_line.addWidget(self.cancel_scheduled_button)
        fields.addRow("", note_row)
        self.tax_edit = fields.add_field("service_tax_rate", self.tr("Tax rate (%)"))
        self.room_kind_edit = fields.add_field("room_kind", self.tr("Room kind needed"))
        self.room_kind_edit.setMaxLength(MAX_ROOM_KIND)
        self.room_kind_edit.setPlaceholderText(self.tr("Empty: no room needed"))
        self.room_kind_model = QStringListModel(self.room_kind_edit)
        self.room_kind_completer = QCompleter(self.room_kind_model, self.room_kind_edit)
        self.room_kind_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.room_kind_edit.setCompleter(self.room_kind_completer)
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(1, 1000)
        self.capacity_spin.setToolTip(
            self.tr("Places it takes in its room: 1 sauna place, 2 in a couples room")
        )
        fields.add_widget("capacity_used", self.tr("Places it uses"), self.capacity_spin)
        self.equipment_list = _EquipmentList()
        fields.add_widget("equipment", self.tr("Equipment needed"), self.equipment_list)
        self.ingredients_edit = fields.add_field("ingredients", self.tr("Ingredients"))
        self.ingredients_edit.setPlaceholderText(
            self.tr("Separated by commas, e.g. nut oil, lavender")
        )
        self.contraindications_edit = fields.add_field(
            "contraindications", self.tr("Not for (contraindications)")
        )
        self.contraindications_edit.setPlaceholderText(
            self.tr("Separated by commas, e.g. pregnancy, high blood pressure")
        )
        self.bookable_box = QCheckBox(self.tr("Can be booked"))
        fields.add_widget("bookable", "", self.bookable_box)
        self.order_spin = QSpinBox()
        self.order_spin.setRange(0, 9999)
        self.order_spin.setToolTip(self.tr("Lower numbers are listed first in their category"))
        fields.add_widget("display_order", self.tr("Display order"), self.order_spin)
        form.setLayout(fields)
        return form

    def load_work(self, record_id: int) -> Callable[[], object]:
        catalogue, user = self.desk.services.catalogue, self.desk.user
        return lambda: catalogue.service(user, record_id)

    def show_record(self, record: object | None) -> None:
        service = record if isinstance(record, ServiceRecord) else None
        self._record = service
        locale = self.desk.formats().locale
        currency = self.desk.services.shop.info().currency
        today = self.desk.services.shop.today()
        self.price_from_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        self.price_from_edit.setDate(QDate(today.year, today.month, today.day))
        self.fields.setRowVisible(self.price_from_edit, service is not None)
        if service is None:
            chosen = self.categories_panel.list.currentItem()
            self.category_combo.setCurrentText(chosen.text() if chosen is not None else "")
            for edit in (
                self.name_edit,
                self.duration_edit,
                self.price_edit,
                self.room_kind_edit,
                self.ingredients_edit,
                self.contraindications_edit,
            ):
                edit.clear()
            self.buffer_edit.setText("0")
            self.tax_edit.setText(rate_for_form(self._choices.default_tax_rate_bp, locale))
            self.capacity_spin.setValue(1)
            self.equipment_list.set_value(())
            self.bookable_box.setChecked(True)
            self.order_spin.setValue(0)
            self._show_price_note(None)
            return
        self.category_combo.setCurrentText(service.category)
        self.name_edit.setText(service.name)
        self.duration_edit.setText(str(service.duration_minutes))
        self.buffer_edit.setText(str(service.buffer_minutes))
        self.price_edit.setText(amount_for_form(service.price_minor, currency, locale))
        self.tax_edit.setText(rate_for_form(service.tax_rate_bp, locale))
        self.room_kind_edit.setText(service.room_kind or "")
        self.capacity_spin.setValue(service.capacity_used)
        self.equipment_list.set_value(service.equipment)
        self.ingredients_edit.setText(", ".join(service.ingredients))
        self.contraindications_edit.setText(", ".join(service.contraindications))
        self.bookable_box.setChecked(service.bookable)
        self.order_spin.setValue(service.sort_order)
        self._show_price_note(service)

    def _show_price_note(self, service: ServiceRecord | None) -> None:
        if service is None:
            self.price_note.clear()
            self.price_note.hide()
            self.cancel_scheduled_button.hide()
            return
        formats = self.desk.formats()
        today = formats.money(Money(service.price_minor, service.currency))
        text = self.tr("Today: {price}, tax {rate}.").format(
            price=today, rate=percent_label(service.tax_rate_bp)
        )
        upcoming = service.next_price
        if upcoming is not None:
            text += " " + self.tr("From {day}: {price}, tax {rate}.").format(
                day=formats.short_date(upcoming.starts_on),
                price=formats.money(Money(upcoming.price_minor, service.currency)),
                rate=percent_label(upcoming.tax_rate_bp),
            )
        self.price_note.setText(text)
        self.price_note.show()
        self.cancel_scheduled_button.setVisible(upcoming is not None and self.may_edit())

    def _cancel_scheduled(self) -> None:
        service = self._record
        if service is None or service.next_price is None:
            return
        catalogue, user = self.desk.services.catalogue, self.desk.user
        service_id, starts_on = service.id, service.next_price.starts_on
        self.desk.runner.run(
            lambda: catalogue.cancel_scheduled_price(service_id, starts_on, user),
            doing=self.tr("cancelling the price change"),
            on_done=lambda _r: self.open_record(service_id),
            on_known_error=self._refused,
        )

    def form_values(self) -> ServiceForm:
        """The form as typed."""
        return ServiceForm(
            category=self.category_combo.currentText(),
            name=self.name_edit.text(),
            duration=self.duration_edit.text(),
            buffer=self.buffer_edit.text(),
            price=self.price_edit.text(),
            tax_rate=self.tax_edit.text(),
            room_kind=self.room_kind_edit.text(),
            capacity_used=str(self.capacity_spin.value()),
            bookable=self.bookable_box.isChecked(),
            ingredients=self.ingredients_edit.text(),
            contraindications=self.contraindications_edit.text(),
            equipment=self.equipment_list.value(),
            display_order=str(self.order_spin.value()),
        )

    def save_work(self) -> Callable[[], int]:
        shop = self.desk.services.shop.info()
        draft = read_service_form(self.form_values(), shop.currency, self.desk.formats().locale)
        catalogue, user, service_id = self.desk.services.catalogue, self.desk.user, self.current_id
        picked = self.price_from_edit.date()
        price_from = (
            date(picked.year(), picked.month(), picked.day()) if service_id is not None else None
        )
        return lambda: catalogue.save_service(draft, user, service_id, price_from)

    def archive_work(self, record_id: int, archived: bool) -> Callable[[], object]:
        catalogue, user = self.desk.services.catalogue, self.desk.user
        return lambda: catalogue.set_archived(record_id, archived, user)

    def show_problem(self, error: DomainError) -> None:
        super().show_problem(error)
        if isinstance(error, FormErrors) and "service_category" in error.errors:
            self.category_combo.setFocus()
