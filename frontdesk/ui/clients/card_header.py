"""The card's header: who the client is (photo or initials), loyalty, visits, money figures
for the roles that may see them, attendance, tags."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.formats import Formats
from frontdesk.services.clients import ClientCard
from frontdesk.ui import style
from frontdesk.ui.widgets.plural import plural_s

BADGE = (
    "QLabel { background: #3d5a80; color: white; border-radius: 28px; font-size: 20px;"
    " font-weight: 700; }"
)
TAG = "QPushButton { border: 1px solid #9aa5b1; border-radius: 10px; padding: 2px 8px; }"
BADGE_SIZE = 56


class CardHeader(QWidget):
    tag_added = Signal(str)
    tag_removed = Signal(str)

    def __init__(self, *, can_edit: bool) -> None:
        super().__init__()
        self._can_edit = can_edit
        self.badge = QLabel()
        self.badge.setObjectName("clientBadge")
        self.badge.setFixedSize(BADGE_SIZE, BADGE_SIZE)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_label = QLabel()
        self.name_label.setObjectName("clientName")
        self.name_label.setStyleSheet(style.TITLE)
        self.name_label.setWordWrap(True)
        self.standing_label = QLabel()
        self.standing_label.setObjectName("clientStanding")
        self.standing_label.setWordWrap(True)
        # Missed visits and late cancellations, under the name (the desk asks for a deposit).
        self.attendance_label = QLabel()
        self.attendance_label.setObjectName("clientAttendance")
        self.values: dict[str, QLabel] = {}
        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(2)
        self._fact_labels: dict[str, QLabel] = {}
        for index, (key, label) in enumerate(
            (
                ("visits", self.tr("Visits")),
                ("last_visit", self.tr("Last visit")),
                ("spent", self.tr("Spent in total")),
                ("phone", self.tr("Phone")),
                ("birthday", self.tr("Birthday")),
                ("since", self.tr("Client since")),
            )
        ):
            name = QLabel(label)
            name.setStyleSheet("QLabel { color: #555; }")
            value = QLabel()
            value.setObjectName(f"client_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self._fact_labels[key] = name
            row, column = divmod(index, 3)
            facts.addWidget(name, row * 2, column)
            facts.addWidget(value, row * 2 + 1, column)
        facts.setRowMinimumHeight(2, 22)  # a gap between the two rows of facts
        self.tags_row = QHBoxLayout()
        self.tags_row.setSpacing(4)
        self.tag_buttons: list[QPushButton] = []
        self.tag_edit = QLineEdit()
        self.tag_edit.setObjectName("addTag")
        self.tag_edit.setPlaceholderText(self.tr("Add a tag (Enter)"))
        self.tag_edit.setMaximumWidth(220)
        self.tag_edit.setMinimumWidth(200)
        self.tag_edit.setVisible(can_edit)
        self.tag_edit.returnPressed.connect(self._add_tag)
        self.tag_error = QLabel()
        self.tag_error.setObjectName("tagError")
        self.tag_error.setStyleSheet(style.ERROR_TEXT)
        self.tag_error.hide()
        self.no_tags = QLabel(self.tr("No tags"))
        self.no_tags.setStyleSheet("QLabel { color: #777; }")
        tags_line = QHBoxLayout()
        tags_line.addLayout(self.tags_row)
        tags_line.addWidget(self.no_tags)
        tags_line.addWidget(self.tag_edit)
        tags_line.addStretch(1)

        who = QVBoxLayout()
        who.setSpacing(2)
        who.addWidget(self.name_label)
        who.addWidget(self.standing_label)
        who.addWidget(self.attendance_label)
        top = QHBoxLayout()
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(who, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(facts)
        layout.addLayout(tags_line)
        layout.addWidget(self.tag_error)

    def show_card(self, card: ClientCard, formats: Formats) -> None:
        self.name_label.setText(card.name)
        if card.photo_png:
            pixmap = QPixmap()
            pixmap.loadFromData(card.photo_png)
            self.badge.setPixmap(
                pixmap.scaled(
                    BADGE_SIZE,
                    BADGE_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            self.badge.setStyleSheet("")
        else:
            self.badge.setPixmap(QPixmap())
            self.badge.setText(card.initials)
            self.badge.setStyleSheet(BADGE)
        points = self.tr("%Ln point(s)", "", card.points)
        points = plural_s(points, card.points)
        if card.points_hidden:  # points tell the spend: the tier only
            self.standing_label.setText(card.tier_name)
        else:
            self.standing_label.setText(
                self.tr("{tier} · {points}").format(tier=card.tier_name, points=points)
                if card.tier_name
                else points
            )
        self.standing_label.setVisible(bool(self.standing_label.text()))
        self._show_attendance(card)
        self.values["visits"].setText(str(card.visit_count))
        self.values["last_visit"].setText(
            formats.short_date(formats.local(card.last_visit).date())
            if card.last_visit
            else self.tr("No visits yet")
        )
        money_shown = card.lifetime_spend is not None
        self.values["spent"].setText(
            formats.money(card.lifetime_spend) if card.lifetime_spend is not None else ""
        )
        self.values["spent"].setVisible(money_shown)
        self._fact_labels["spent"].setVisible(money_shown)
        self.values["phone"].setText(card.form.phone or "—")
        self.values["birthday"].setText(formats.short_date(card.birthday) if card.birthday else "—")
        self.values["since"].setText(formats.short_date(card.member_since))
        self._show_tags(card.tags)

    def _show_attendance(self, card: ClientCard) -> None:
        no_shows = plural_s(self.tr("%n no-show(s)", "", card.no_shows), card.no_shows)
        late = plural_s(
            self.tr("%n late cancellation(s)", "", card.late_cancellations),
            card.late_cancellations,
        )
        self.attendance_label.setText(
            self.tr("{no_shows} · {late}").format(no_shows=no_shows, late=late)
        )
        # Words carry the meaning; the colour only draws the eye when there is something.
        warn = card.no_shows > 0 or card.late_cancellations > 0
        self.attendance_label.setStyleSheet(style.ERROR_TEXT if warn else "")

    def _show_tags(self, tags: tuple[str, ...]) -> None:
        for button in self.tag_buttons:
            self.tags_row.removeWidget(button)
            button.deleteLater()
        self.tag_buttons = []
        for tag in tags:
            button = QPushButton(self.tr("{tag} ×").format(tag=tag) if self._can_edit else tag)
            button.setObjectName("clientTag")
            button.setStyleSheet(TAG)
            button.setEnabled(self._can_edit)
            if self._can_edit:
                button.setToolTip(self.tr("Remove the tag {tag}").format(tag=tag))
                button.clicked.connect(lambda _=False, t=tag: self.tag_removed.emit(t))
            self.tags_row.addWidget(button)
            self.tag_buttons.append(button)
        self.no_tags.setVisible(not tags and not self._can_edit)
        self.tag_error.hide()

    def _add_tag(self) -> None:
        text = self.tag_edit.text()
        if text.strip():
            self.tag_added.emit(text)

    def tag_saved(self) -> None:
        self.tag_edit.clear()
        self.tag_error.hide()

    def show_tag_error(self, message: str) -> None:
        self.tag_error.setText(message)
        self.tag_error.show()
