"""The first two steps of the guided start, on a new database: the shop, then its owner.

This is the program's first window on an empty database, shown before the database layer is
loaded (see ui/app.py): it imports only Qt and light modules of ours. The shop's details and the
owner are saved together in one unit of work (FirstRunService.start_shop) through an executor,
which at start-up also waits for the rest of the program to be ready; a refused field is shown
beside it, on its own step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QTimeZone
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.ui import style
from frontdesk.ui.signin.painted import FirstPaintDialog
from frontdesk.ui.widgets.field_form import FieldForm
from frontdesk.ui.workers import Executor, ImmediateExecutor

if TYPE_CHECKING:  # types only: this window shows before the services are loaded
    from typing import Protocol

    from frontdesk.services.auth import SignedIn

    class ShopStarter(Protocol):
        """FirstRunService behind an adapter, or a stand-in that waits for the start first."""

        def check_shop(self, shop: ShopAnswers) -> None: ...
        def start_shop(
            self, shop: ShopAnswers, owner_name: str, pin: str, pin_again: str
        ) -> SignedIn: ...


@dataclass(frozen=True)
class ShopAnswers:
    """What step 1 asks about the shop, as typed."""

    name: str
    currency: str
    timezone: str
    locale: str
    address: str = ""
    phone: str = ""
    #: The tax rate included in prices, in per cent as typed ("" for none).
    default_tax_rate: str = ""
    #: The receipt's closing line, in the language the window speaks (the shop's, as chosen).
    receipt_footer: str = ""


#: Shop locales offered (any other can be set later on the shop page): the program speaks
#: English, Chinese and Russian; numbers, dates and money follow the shop's locale.
LOCALES = (
    "en_GB",
    "en_US",
    "en_IE",
    "en_AU",
    "en_CA",
    "en_NZ",
    "en_SG",
    "zh_CN",
    "zh_SG",
    "ru_RU",
    "ru_BY",
    "ru_KZ",
    "de_DE",
    "de_AT",
    "fr_FR",
    "es_ES",
    "it_IT",
    "nl_NL",
    "pl_PL",
)

#: The usual time zone of each offered locale's country, when the computer's is elsewhere.
ZONES = {
    "GB": "Europe/London",
    "US": "America/New_York",
    "IE": "Europe/Dublin",
    "AU": "Australia/Sydney",
    "CA": "America/Toronto",
    "NZ": "Pacific/Auckland",
    "SG": "Asia/Singapore",
    "CN": "Asia/Shanghai",
    "RU": "Europe/Moscow",
    "BY": "Europe/Minsk",
    "KZ": "Asia/Almaty",
    "DE": "Europe/Berlin",
    "AT": "Europe/Vienna",
    "FR": "Europe/Paris",
    "ES": "Europe/Madrid",
    "IT": "Europe/Rome",
    "NL": "Europe/Amsterdam",
    "PL": "Europe/Warsaw",
}

#: Currencies offered in the list; any other ISO code may be typed.
CURRENCIES = (
    "GBP",
    "EUR",
    "USD",
    "CNY",
    "RUB",
    "AUD",
    "CAD",
    "CHF",
    "HKD",
    "JPY",
    "KZT",
    "BYN",
    "NZD",
    "PLN",
    "SEK",
    "SGD",
)

SHOP_FIELDS = ("name", "locale", "currency", "timezone", "default_tax_rate", "address", "phone")
OWNER_FIELDS = ("owner_name", "pin", "pin_again")


def locale_label(code: str) -> str:
    """A locale as its own speakers write it: 'English (United Kingdom)', '中文 (中国)'."""
    here = QLocale(code)
    return f"{here.nativeLanguageName()} ({here.nativeTerritoryName()})"


def usual_currency(code: str) -> str:
    return QLocale(code).currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode) or "EUR"


def usual_zone(code: str) -> str:
    """The computer's zone when it is in the locale's country, else that country's usual one."""
    here = QLocale(code)
    system = QTimeZone.systemTimeZone()
    system_id = bytes(system.id().data()).decode()
    if system.territory() == here.territory() and "/" in system_id:
        return system_id
    return ZONES.get(
        code.rsplit("_", maxsplit=1)[-1], system_id if "/" in system_id else "Europe/London"
    )


def system_locale() -> str:
    name = QLocale.system().name()
    if name in LOCALES:
        return name
    head = name.split("_")[0]
    return next((code for code in LOCALES if code.startswith(head + "_")), "en_GB")


class NewShopDialog(FirstPaintDialog):
    """Step 1, the shop; step 2, the owner's name and PIN. `signed_in` once accepted."""

    def __init__(
        self,
        starter: ShopStarter,
        parent: QWidget | None = None,
        *,
        executor: Executor | None = None,
        on_language: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._starter = starter
        self._executor: Executor = executor or ImmediateExecutor()
        self._on_language = on_language
        self._working = False
        self._closed = False
        self._currency_typed = False
        self._zone_typed = False
        self.signed_in: SignedIn | None = None
        self.answers: ShopAnswers | None = None
        self.setMinimumWidth(520)
        self.setObjectName("newShop")

        self.heading = QLabel()
        self.heading.setStyleSheet(style.TITLE)
        self.step_label = QLabel()
        self.step_label.setObjectName("newShopStep")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.pages = QStackedWidget()
        self.shop_form = FieldForm()
        self.owner_form = FieldForm()
        self._build_shop_page()
        self._build_owner_page()
        self.general_error = QLabel()
        self.general_error.setStyleSheet(style.ERROR_TEXT)
        self.general_error.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("newShopStatus")
        self.back_button = QPushButton()
        self.next_button = QPushButton()
        self.next_button.setDefault(True)
        self.next_button.setAutoDefault(True)
        self.quit_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.quit_button.clicked.connect(self.reject)
        self.first_painted.connect(self._fill_zones)
        self._retranslate()
        self._show_page(0)

    # -- building ---------------------------------------------------------------------------

    def _build_shop_page(self) -> None:
        page = QWidget()
        form = self.shop_form
        page.setLayout(form)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(120)
        self.locale_combo = QComboBox()
        for code in LOCALES:
            self.locale_combo.addItem(locale_label(code), code)
        self.locale_combo.setCurrentIndex(LOCALES.index(system_locale()))
        self.currency_combo = QComboBox()
        self.currency_combo.setEditable(True)
        self.currency_combo.addItems(list(CURRENCIES))
        self.currency_combo.setEditText(usual_currency(system_locale()))
        self.zone_combo = QComboBox()
        self.zone_combo.setEditable(True)
        self.zone_combo.setEditText(usual_zone(system_locale()))
        self.tax_edit = QLineEdit()
        self.tax_edit.setMaxLength(8)
        self.address_edit = QLineEdit()
        self.address_edit.setMaxLength(400)
        self.phone_edit = QLineEdit()
        self.phone_edit.setMaxLength(40)
        self.shop_labels: dict[str, QLabel] = {}
        for name, widget in (
            ("name", self.name_edit),
            ("locale", self.locale_combo),
            ("currency", self.currency_combo),
            ("timezone", self.zone_combo),
            ("default_tax_rate", self.tax_edit),
            ("address", self.address_edit),
            ("phone", self.phone_edit),
        ):
            form.add_widget(name, name, widget)  # labelled in _retranslate
            self.shop_labels[name] = self._label_of(form, widget)
        self.locale_combo.currentIndexChanged.connect(self._locale_changed)
        for combo, typed in (
            (self.currency_combo, self._currency_edited),
            (self.zone_combo, self._zone_edited),
        ):
            edit = combo.lineEdit()
            assert edit is not None  # editable
            edit.textEdited.connect(typed)
        self.pages.addWidget(page)

    def _build_owner_page(self) -> None:
        page = QWidget()
        form = self.owner_form
        page.setLayout(form)
        self.owner_labels: dict[str, QLabel] = {}
        for name, secret in (("owner_name", False), ("pin", True), ("pin_again", True)):
            edit = form.add_field(name, name, secret=secret)  # labelled in _retranslate
            self.owner_labels[name] = self._label_of(form, edit)
        self.owner_form.edits["owner_name"].setMaxLength(80)
        self.pages.addWidget(page)

    @staticmethod
    def _label_of(form: FieldForm, widget: QWidget) -> QLabel:
        label = form.labelForField(widget)
        assert isinstance(label, QLabel)
        return label

    def _fill_zones(self) -> None:
        """Every IANA zone, to pick by typing part of its name (read once the window shows:
        listing them reads the zone database)."""
        from zoneinfo import available_timezones

        current = self.zone_combo.currentText()
        zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
        self.zone_combo.addItems(zones)
        completer = QCompleter(zones, self.zone_combo)
        completer.setFilterMode(completer.filterMode().MatchContains)
        completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
        self.zone_combo.setCompleter(completer)
        self.zone_combo.setEditText(current)

    # -- words -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Welcome to FrontDesk"))
        texts = {
            "name": self.tr("Shop name"),
            "locale": self.tr("Language and country"),
            "currency": self.tr("Currency"),
            "timezone": self.tr("Time zone"),
            "default_tax_rate": self.tr("Tax in prices (%)"),
            "address": self.tr("Address"),
            "phone": self.tr("Phone"),
            "owner_name": self.tr("Owner's name"),
            "pin": self.tr("PIN (4-8 digits)"),
            "pin_again": self.tr("PIN again"),
        }
        for name, label in {**self.shop_labels, **self.owner_labels}.items():
            label.setText(texts[name])
        self.name_edit.setPlaceholderText(self.tr("As it should appear on receipts"))
        self.tax_edit.setPlaceholderText(self.tr("e.g. 20; empty for none (change it later)"))
        self.tax_edit.setToolTip(
            self.tr("The sales tax (VAT) included in your prices; services start with it.")
        )
        self.zone_combo.setToolTip(self.tr("Type part of a city's name to find its time zone."))
        self.currency_combo.setToolTip(self.tr("The three-letter code, e.g. GBP, EUR, CNY, RUB."))
        self.back_button.setText(self.tr("&Back"))
        self.back_button.setToolTip(self.tr("The previous step (Alt+B)"))
        self.quit_button.setText(self.tr("Quit"))
        self.quit_button.setToolTip(self.tr("Close FrontDesk; nothing is saved yet."))
        self._show_page(self.pages.currentIndex())

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.step_label.setText(self.tr("Step {step} of 6").format(step=index + 1))
        if index == 0:
            self.heading.setText(self.tr("Your shop"))
            self.intro.setText(
                self.tr(
                    "Welcome! A few questions and FrontDesk is ready: first the shop, then the "
                    "owner's PIN. Staff, services, rooms and the printer follow, and each of "
                    "those can be skipped and set later in the back office. (To try FrontDesk "
                    "with sample data instead, quit and run `frontdesk demo`.)"
                )
            )
            self.next_button.setText(self.tr("&Next"))
            self.next_button.setToolTip(self.tr("The owner's account (Enter)"))
            self.back_button.setEnabled(False)
        else:
            self.heading.setText(self.tr("The owner"))
            self.intro.setText(
                self.tr(
                    "The owner may do everything, including setting up staff and their PINs. "
                    "Choose a PIN of 4 to 8 digits that nobody else knows."
                )
            )
            self.next_button.setText(self.tr("&Create the shop and sign in"))
            self.next_button.setToolTip(self.tr("Save the shop and the owner (Enter)"))
            self.back_button.setEnabled(True)

    # -- answers -----------------------------------------------------------------------------

    def _locale_changed(self) -> None:
        code = str(self.locale_combo.currentData())
        if not self._currency_typed:
            self.currency_combo.setEditText(usual_currency(code))
        if not self._zone_typed:
            self.zone_combo.setEditText(usual_zone(code))
        if self._on_language is not None:
            self._on_language(code)  # the window speaks the shop's language from now on

    def _currency_edited(self) -> None:
        self._currency_typed = True

    def _zone_edited(self) -> None:
        self._zone_typed = True

    def shop_answers(self) -> ShopAnswers:
        return ShopAnswers(
            name=self.name_edit.text(),
            currency=self.currency_combo.currentText().strip().upper(),
            timezone=self.zone_combo.currentText().strip(),
            locale=str(self.locale_combo.currentData()),
            address=self.address_edit.text(),
            phone=self.phone_edit.text(),
            default_tax_rate=self.tax_edit.text(),
            receipt_footer=self.tr("Thank you for your visit!"),
        )

    # -- moving on ---------------------------------------------------------------------------

    def done(self, result: int) -> None:
        self._closed = True  # work still running finds nobody to tell
        super().done(result)

    def back(self) -> None:
        if not self._working and self.pages.currentIndex() > 0:
            self._clear_errors()
            self._show_page(0)

    def next(self) -> None:
        """Step 1: check the shop's answers, then ask for the owner. Step 2: create both."""
        if self._working:
            return
        self._clear_errors()
        answers = self.shop_answers()
        if self.pages.currentIndex() == 0:
            self._set_working(True, self.tr("Checking…"))
            self._executor.submit(
                lambda: self._starter.check_shop(answers), self._checked, self._failed
            )
            return
        owner = self.owner_form.edits
        name, pin, pin_again = (owner[f].text() for f in OWNER_FIELDS)
        self._set_working(True, self.tr("Creating the shop…"))
        self._executor.submit(
            lambda: self._starter.start_shop(answers, name, pin, pin_again),
            self._created,
            self._failed,
        )

    def _clear_errors(self) -> None:
        self.shop_form.clear_errors()
        self.owner_form.clear_errors()
        self.general_error.clear()

    def _set_working(self, working: bool, text: str = "") -> None:
        self._working = working
        self.status_label.setText(text if working else "")
        self.next_button.setEnabled(not working)
        self.back_button.setEnabled(not working and self.pages.currentIndex() > 0)

    def _checked(self, _result: object) -> None:
        if self._closed:
            return
        self._set_working(False)
        self._show_page(1)
        self.owner_form.edits["owner_name"].setFocus()

    def _created(self, who: SignedIn) -> None:
        if self._closed:
            return
        self._set_working(False)
        self.answers = self.shop_answers()
        self.signed_in = who
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if self._closed:
            return
        self._set_working(False)
        if not isinstance(error, FormErrors | DomainError | DatabaseProblem):
            from frontdesk.ui.errors import show_error  # a bug: rare, and not on the way in

            show_error(self, error, self.tr("setting up the shop"))
            return
        from frontdesk.ui.error_text import error_text, field_texts  # only when refused

        if not isinstance(error, FormErrors):
            self.general_error.setText(error_text(error))
            return
        texts = field_texts(error)
        on_shop = {f: t for f, t in texts.items() if f in SHOP_FIELDS}
        on_owner = {f: t for f, t in texts.items() if f in OWNER_FIELDS}
        self.owner_form.show_errors(on_owner)
        if on_shop:  # the shop's step first: the owner's errors wait there for the return
            self._show_page(0)
            self.shop_form.show_errors(on_shop)
        elsewhere = [t for f, t in texts.items() if f not in SHOP_FIELDS + OWNER_FIELDS]
        self.general_error.setText(" ".join(elsewhere))
