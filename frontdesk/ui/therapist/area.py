"""My day: the signed-in therapist's next clients today, each with a brief (alerts first, in
red; preferences; the last notes; the last services), and a note box for the visit just
finished or in service (focus lands there; Ctrl+Enter saves). No money figure anywhere.

The list follows the change bus: a booking, a status or a note made anywhere refreshes it.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.roles import Permission
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.therapist_day import BriefView
from frontdesk.ui import style
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.desk import Desk
from frontdesk.ui.errors import known_message
from frontdesk.ui.labels import allergen_label, health_kind_label, label

#: What a brief shows: appointments, clients (health, notes, preferences), services, staff.
SHOWN_KINDS = (
    ChangeKind.APPOINTMENTS,
    ChangeKind.CLIENTS,
    ChangeKind.CATALOGUE,
    ChangeKind.STAFF,
)

_WORDS = {
    "severe": QT_TRANSLATE_NOOP("MyDay", "severe"),
    "moderate": QT_TRANSLATE_NOOP("MyDay", "moderate"),
    "mild": QT_TRANSLATE_NOOP("MyDay", "mild"),
    "pressure": QT_TRANSLATE_NOOP("MyDay", "Pressure"),
    "room_temperature": QT_TRANSLATE_NOOP("MyDay", "Room temperature"),
    "music": QT_TRANSLATE_NOOP("MyDay", "Music"),
    "liked": QT_TRANSLATE_NOOP("MyDay", "Likes"),
    "disliked": QT_TRANSLATE_NOOP("MyDay", "Dislikes"),
    "avoid_topics": QT_TRANSLATE_NOOP("MyDay", "Topics to avoid"),
    "notes": QT_TRANSLATE_NOOP("MyDay", "Notes"),
    "light": QT_TRANSLATE_NOOP("MyDay", "light"),
    "medium": QT_TRANSLATE_NOOP("MyDay", "medium"),
    "firm": QT_TRANSLATE_NOOP("MyDay", "firm"),
    "deep": QT_TRANSLATE_NOOP("MyDay", "deep"),
    "cooler": QT_TRANSLATE_NOOP("MyDay", "cooler"),
    "usual": QT_TRANSLATE_NOOP("MyDay", "usual"),
    "warmer": QT_TRANSLATE_NOOP("MyDay", "warmer"),
}


def _word(code: str) -> str:
    """A stored code (severity, preference topic or value) in the window's language; other
    text as it is."""
    text = _WORDS.get(code.strip().lower())
    return QCoreApplication.translate("MyDay", str(text)) if text is not None else code


class BriefCard(QFrame):
    """One appointment's brief; the visit whose note is due has the note box."""

    def __init__(self, area: MyDayArea, brief: BriefView) -> None:
        super().__init__()
        self.brief = brief
        self.setObjectName("brief")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        formats = area.desk.formats()
        layout = QVBoxLayout(self)
        title = QLabel(
            self.tr("{times}  {client} · {service}").format(
                times=formats.time_range(brief.starts_at, brief.ends_at),
                client=brief.customer_name,
                service=brief.service_name,
            )
        )
        title.setStyleSheet(style.TITLE)
        title.setObjectName("briefTitle")
        layout.addWidget(title)
        status = QLabel(label(brief.status))
        status.setObjectName("briefStatus")
        layout.addWidget(status)
        self.alerts = QLabel()
        self.alerts.setObjectName("briefAlerts")
        self.alerts.setWordWrap(True)
        self.alerts.setStyleSheet(style.ALLERGY_BANNER)
        if brief.alerts:
            self.alerts.setText(
                "\n".join(
                    self.tr("⚠ {kind}: {what} — {severity}").format(
                        kind=health_kind_label(a.kind),
                        what=allergen_label(a.code) if a.code else a.substance,
                        severity=_word(a.severity),
                    )
                    for a in brief.alerts
                )
            )
        self.alerts.setVisible(bool(brief.alerts))
        layout.addWidget(self.alerts)
        # Allergies on file that this computer cannot open: say so, never show nothing.
        self.locked = QLabel(
            self.tr("⚠ Health data locked: this client's allergies cannot be shown here.")
        )
        self.locked.setObjectName("briefHealthLocked")
        self.locked.setWordWrap(True)
        self.locked.setStyleSheet(style.ALLERGY_BANNER)
        self.locked.setVisible(brief.health_locked)
        layout.addWidget(self.locked)
        self.details = QLabel(self._details(area))
        self.details.setObjectName("briefDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        self.note_edit: QPlainTextEdit | None = None
        if brief.note_due and area.user.can(Permission.WRITE_TREATMENT_NOTES):
            self._init_note_box(area, layout)

    def _details(self, area: MyDayArea) -> str:
        brief, formats = self.brief, area.desk.formats()
        lines = []
        separator = self.tr("; ")
        if brief.preferences:
            lines.append(
                self.tr("Preferences: {list}").format(
                    list=separator.join(
                        self.tr("{topic}: {value}").format(topic=_word(t), value=_word(v))
                        for t, v in brief.preferences
                    )
                )
            )
        else:
            lines.append(self.tr("No preferences recorded."))
        for note in brief.last_notes:
            lines.append(
                self.tr("Note {when} ({author}): {text}").format(
                    when=formats.date_time(note.written_at),
                    author=note.author_name,
                    text=note.text,
                )
            )
        if brief.last_services:
            lines.append(
                self.tr("Last services: {list}").format(
                    list=separator.join(
                        self.tr("{day} {service}").format(
                            day=formats.short_date(p.day), service=p.service_name
                        )
                        for p in brief.last_services
                    )
                )
            )
        else:
            lines.append(self.tr("First visit."))
        return "\n".join(lines)

    def _init_note_box(self, area: MyDayArea, layout: QVBoxLayout) -> None:
        heading = QLabel(
            self.tr("Note on this visit (saved)")
            if self.brief.has_note
            else self.tr("Note on this visit")
        )
        heading.setObjectName("noteHeading")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setPlaceholderText(self.tr("What was done, what to remember next time"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(110)
        heading.setBuddy(self.note_edit)
        self.save_button = QPushButton(self.tr("Save note (Ctrl+Enter)"))
        self.save_button.setObjectName("saveNote")
        self.save_button.setToolTip(self.tr("Save the note (Ctrl+Enter)"))
        self.note_error = QLabel()
        self.note_error.setObjectName("noteError")
        self.note_error.setStyleSheet(style.ERROR_TEXT)
        self.note_error.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.note_error, 1)
        row.addWidget(self.save_button)
        layout.addWidget(heading)
        layout.addWidget(self.note_edit)
        layout.addLayout(row)
        if not area.desk.services.vault.ready:
            # A note is sealed with the health data key: without it, nothing could be saved.
            reason = self.tr("Notes cannot be saved here: the health data key is missing.")
            self.note_edit.setEnabled(False)
            self.save_button.setEnabled(False)
            self.note_edit.setPlaceholderText(reason)
            self.note_error.setText(reason)
            return
        self.save_button.clicked.connect(lambda: area.save_note(self))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(
                QKeySequence(keys),
                self.note_edit,
                lambda: area.save_note(self),
                context=Qt.ShortcutContext.WidgetShortcut,
            )


class MyDayArea(QWidget):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.user = desk.user
        self._day = desk.services.therapist_day
        self._notes = desk.services.treatment_notes
        self.cards: list[BriefCard] = []
        self._saving = False
        self.title = QLabel(self.tr("My day — {name}").format(name=self.user.name))
        self.title.setStyleSheet(style.TITLE)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("noteSaved")
        self.saved_label.setStyleSheet(style.SUCCESS_BANNER)
        self.saved_label.hide()
        self.empty_label = QLabel(self.tr("No more clients today."))
        self.empty_label.setObjectName("myDayEmpty")
        self.empty_label.setStyleSheet(style.NOTICE)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._list)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.saved_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(scroll, 1)
        self.follow = FollowChanges(self, desk.bus, SHOWN_KINDS, self._on_changes)
        self.refresh()

    def _on_changes(self, changes: Changes | None) -> None:
        self.refresh()

    def refresh(self) -> None:
        day, user = self._day, self.user
        self.desk.runner.run(
            lambda: day.my_day(user),
            doing=self.tr("loading my day"),
            on_done=self._show,
            parent=self,
        )

    def _show(self, briefs: tuple[BriefView, ...]) -> None:
        # A note being typed survives a refresh (a booking elsewhere must not wipe it).
        typed = {
            c.brief.appointment_id: c.note_edit.toPlainText()
            for c in self.cards
            if c.note_edit is not None and c.note_edit.toPlainText()
        }
        had_focus = any(c.note_edit is not None and c.note_edit.hasFocus() for c in self.cards)
        for card in self.cards:
            self._list_layout.removeWidget(card)
            card.deleteLater()
        self.cards = [BriefCard(self, brief) for brief in briefs]
        for index, card in enumerate(self.cards):
            self._list_layout.insertWidget(index, card)
            if card.note_edit is not None and card.brief.appointment_id in typed:
                card.note_edit.setPlainText(typed[card.brief.appointment_id])
        self.empty_label.setVisible(not briefs)
        if had_focus or self.isVisible():
            self.focus_note()

    def note_card(self) -> BriefCard | None:
        return next((c for c in self.cards if c.note_edit is not None), None)

    def focus_note(self) -> None:
        card = self.note_card()
        if card is not None and card.note_edit is not None:
            card.note_edit.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_note()

    def save_note(self, card: BriefCard) -> None:
        edit = card.note_edit
        if edit is None or self._saving or not card.save_button.isEnabled():
            return
        text = edit.toPlainText()
        brief, notes, user = card.brief, self._notes, self.user
        self._saving = True
        card.note_error.clear()

        def saved(_note_id: int) -> None:
            current = self.note_card()  # the list may have been rebuilt meanwhile
            if current is not None and current.brief.appointment_id == brief.appointment_id:
                assert current.note_edit is not None
                current.note_edit.clear()
            self.saved_label.setText(
                self.tr("Note saved for {client}.").format(client=brief.customer_name)
            )
            self.saved_label.show()

        def refused(error: BaseException) -> bool:
            current = self.note_card()
            if current is not None:
                current.note_error.setText(known_message(error, self.desk.formats()) or "")
            return True

        def finished() -> None:
            self._saving = False

        self.desk.runner.run(
            lambda: notes.write(brief.customer_id, text, user, appointment_id=brief.appointment_id),
            doing=self.tr("saving the note"),
            on_done=saved,
            on_known_error=refused,
            on_finished=finished,
            parent=self,
        )
