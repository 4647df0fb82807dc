"""The card's editable sections: contact and consent, and structured preferences. Each field
has its error beside it; the card's one Save sends both together."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clients import (
    CONSENT_CHANNELS,
    PREF_AVOID,
    PREF_DISLIKED,
    PREF_LIKED,
    PREF_MUSIC,
    PREF_NOTES,
    PREF_PRESSURE,
    PREF_TEMPERATURE,
    PRESSURES,
    TEMPERATURES,
    CardPreferences,
    ClientForm,
)
from frontdesk.domain.formats import Formats
from frontdesk.services.clients import ClientCard
from frontdesk.ui import style
from frontdesk.ui.clients.card_words import word
from frontdesk.ui.widgets.field_form import FieldForm

CONTACT_FIELDS = ("first_name", "last_name", "phone", "email", "birthday", "card_number")


def _choices(combo: QComboBox, codes: tuple[str, ...], none: str) -> None:
    combo.addItem(none, "")
    for code in codes:
        combo.addItem(word(code), code)


def _select(combo: QComboBox, data: object) -> None:
    """Select the item holding `data`; an older record's own words are kept as an item."""
    index = combo.findData(data)
    if index < 0 and isinstance(data, str) and data:
        combo.addItem(data, data)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))


class ContactSection(QWidget):
    """Name, phone, e-mail, birthday, card; marketing consent (date and channel) and consent to
    keep health data (date). Read-only for a role that may not edit clients."""

    def __init__(self, *, can_edit: bool, can_edit_health: bool) -> None:
        super().__init__()
        self._can_edit_health = can_edit_health
        self.fields = FieldForm()
        labels = {
            "first_name": self.tr("First name *"),
            "last_name": self.tr("Last name"),
            "phone": self.tr("Phone"),
            "email": self.tr("E-mail"),
            "birthday": self.tr("Birthday (YYYY-MM-DD)"),
            "card_number": self.tr("Loyalty card"),
        }
        for name in CONTACT_FIELDS:
            edit = self.fields.add_field(name, labels[name])
            edit.setReadOnly(not can_edit)
        self.marketing = QCheckBox(self.tr("Agrees to marketing messages"))
        self.marketing.setObjectName("marketingConsent")
        self.marketing.setEnabled(can_edit)
        self.fields.addRow(self.marketing)  # a whole row: long in Russian
        self.channel = QComboBox()
        _choices(self.channel, CONSENT_CHANNELS, self.tr("— how did they agree? —"))
        self.channel.setEnabled(can_edit)
        self.fields.add_widget("marketing_channel", self.tr("Agreed by"), self.channel)
        self.marketing_date = QLabel()
        self.marketing_date.setObjectName("marketingDate")
        self.fields.addRow(self.tr("Agreed on"), self.marketing_date)
        self.health_consent = QCheckBox(self.tr("Agrees that we keep health data"))
        self.health_consent.setObjectName("healthConsent")
        self.health_consent.setEnabled(can_edit and can_edit_health)
        if not can_edit_health:  # EDIT_HEALTH: owners, managers and therapists
            self.health_consent.setToolTip(
                self.tr("Only an owner, a manager or a therapist may change this consent.")
            )
        self.fields.addRow(self.health_consent)
        self.health_date = QLabel()
        self.health_date.setObjectName("healthConsentDate")
        self.fields.addRow(self.tr("Health consent since"), self.health_date)
        self.marketing.toggled.connect(self.channel.setEnabled)
        self.setStyleSheet(style.READ_ONLY_FIELDS)
        self.setLayout(self.fields)
        self._loaded_health_consent = False

    def show_card(self, card: ClientCard, formats: Formats) -> None:
        for name in CONTACT_FIELDS:
            self.fields.edits[name].setText(getattr(card.form, name))
        self.marketing.setChecked(card.form.marketing_consent)
        _select(self.channel, card.marketing_channel)
        self.channel.setEnabled(self.marketing.isEnabled() and card.form.marketing_consent)
        self.marketing_date.setText(
            formats.short_date(formats.local(card.marketing_consent_at).date())
            if card.form.marketing_consent and card.marketing_consent_at
            else "—"
        )
        self.health_consent.setChecked(card.health_consent)
        self._loaded_health_consent = card.health_consent
        self.health_date.setText(
            formats.short_date(formats.local(card.health_consent_at).date())
            if card.health_consent and card.health_consent_at
            else "—"
        )

    def form(self) -> ClientForm:
        values = {name: self.fields.edits[name].text() for name in CONTACT_FIELDS}
        return ClientForm(marketing_consent=self.marketing.isChecked(), **values)

    def marketing_channel(self) -> str:
        return str(self.channel.currentData() or "")

    def health_consent_change(self) -> bool | None:
        """The new consent when this Save changes it, else None."""
        now = self.health_consent.isChecked()
        if not self._can_edit_health or now == self._loaded_health_consent:
            return None
        return now


class PreferencesSection(QWidget):
    """Pressure, preferred therapist, room temperature, music, oils and products liked and
    disliked, topics to avoid, and anything else."""

    def __init__(self, *, can_edit: bool) -> None:
        super().__init__()
        self.fields = FieldForm()
        self.pressure = QComboBox()
        _choices(self.pressure, PRESSURES, self.tr("— not recorded —"))
        self.fields.add_widget(PREF_PRESSURE, self.tr("Pressure"), self.pressure)
        self.therapist = QComboBox()
        self.fields.add_widget("preferred_staff", self.tr("Preferred therapist"), self.therapist)
        self.temperature = QComboBox()
        _choices(self.temperature, TEMPERATURES, self.tr("— not recorded —"))
        self.fields.add_widget(PREF_TEMPERATURE, self.tr("Room temperature"), self.temperature)
        self.music = self.fields.add_field(PREF_MUSIC, self.tr("Music"))
        self.liked = self.fields.add_field(PREF_LIKED, self.tr("Oils and products liked"))
        self.disliked = self.fields.add_field(PREF_DISLIKED, self.tr("Oils and products disliked"))
        self.avoid = self.fields.add_field(PREF_AVOID, self.tr("Topics to avoid"))
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(54)
        self.fields.add_widget(PREF_NOTES, self.tr("Anything else"), self.notes)
        self.others = QLabel()
        self.others.setObjectName("otherPreferences")
        self.others.setWordWrap(True)
        self.others.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.fields.addRow(self.tr("Also noted"), self.others)
        for widget in (self.pressure, self.therapist, self.temperature):
            widget.setEnabled(can_edit)
        for edit in (self.music, self.liked, self.disliked, self.avoid):
            edit.setReadOnly(not can_edit)
        self.notes.setReadOnly(not can_edit)
        self.setStyleSheet(style.READ_ONLY_FIELDS)
        outer = QVBoxLayout(self)  # the rows keep together at the top, the space below
        outer.addLayout(self.fields)
        outer.addStretch(1)

    def show_card(self, card: ClientCard) -> None:
        prefs = card.structured
        _select(self.pressure, prefs.pressure)
        self.therapist.clear()
        self.therapist.addItem(self.tr("— anyone —"), None)
        for staff_id, name in card.therapists:
            self.therapist.addItem(name, staff_id)
        _select(self.therapist, prefs.preferred_staff_id)
        _select(self.temperature, prefs.room_temperature)
        self.music.setText(prefs.music)
        self.liked.setText(prefs.liked)
        self.disliked.setText(prefs.disliked)
        self.avoid.setText(prefs.avoid_topics)
        self.notes.setPlainText(prefs.notes)
        self.others.setText(
            "\n".join(
                self.tr("{topic}: {value}").format(topic=topic, value=value)
                for topic, value in card.other_preferences
            )
        )
        self.fields.setRowVisible(self.others, bool(card.other_preferences))

    def preferences(self) -> CardPreferences:
        staff = self.therapist.currentData()
        return CardPreferences(
            pressure=str(self.pressure.currentData() or ""),
            preferred_staff_id=int(staff) if staff is not None else None,
            room_temperature=str(self.temperature.currentData() or ""),
            music=self.music.text(),
            liked=self.liked.text(),
            disliked=self.disliked.text(),
            avoid_topics=self.avoid.text(),
            notes=self.notes.toPlainText(),
        )
