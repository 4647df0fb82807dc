"""The guided start's steps 3-6 in the signed-in window: staff, services (with a starter menu),
rooms and the printer.

Each step is the back office's own page with a short explanation above it. Next and Skip both
remember the step as done (ShopProfile.setup_steps_done), so the steps list shows what is left;
"Finish later" closes the guide, which stays under Back office -> "Guided start…".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.roles import Permission
from frontdesk.domain.starter_menus import ShopKind
from frontdesk.services.first_run import STEPS, StarterApplied
from frontdesk.ui import style
from frontdesk.ui.backoffice.area import devices_page, rooms_page, staff_page
from frontdesk.ui.desk import Desk
from frontdesk.ui.widgets.plural import plural_s

#: The steps this window shows (the shop and the owner are done before the window opens).
WINDOW_STEPS = STEPS[2:]


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    explanation: str
    build: Callable[[Desk], QWidget]


def _services(desk: Desk) -> QWidget:
    return ServicesStep(desk)


def steps() -> tuple[Step, ...]:
    return (
        Step(
            "staff",
            QCoreApplication.translate("GuidedStart", "Staff"),
            QCoreApplication.translate(
                "GuidedStart",
                "Add the people who work here: their name, role, working hours and the "
                "services they may do. Each person signs in with their own PIN. The calendar "
                "shows a column for each therapist.",
            ),
            staff_page,
        ),
        Step(
            "services",
            QCoreApplication.translate("GuidedStart", "Services"),
            QCoreApplication.translate(
                "GuidedStart",
                "What clients can book: duration, cleanup time, price and the room it needs. "
                "Start from a ready menu for your kind of shop and change it as you like, or "
                "add your own services one by one.",
            ),
            _services,
        ),
        Step(
            "rooms",
            QCoreApplication.translate("GuidedStart", "Rooms"),
            QCoreApplication.translate(
                "GuidedStart",
                "Where treatments take place: treatment rooms, a couples room for two, a sauna "
                "for six. A service that needs a kind of room is booked into a free room of "
                "that kind.",
            ),
            rooms_page,
        ),
        Step(
            "printer",
            QCoreApplication.translate("GuidedStart", "Printer"),
            QCoreApplication.translate(
                "GuidedStart",
                "The receipt printer and the card scanner of this computer. Try a test print, "
                "then save. No printer yet? Skip this step: receipts can be printed later.",
            ),
            devices_page,
        ),
    )


def kind_label(kind: ShopKind) -> str:
    return {
        ShopKind.MASSAGE: QCoreApplication.translate("GuidedStart", "Massage studio"),
        ShopKind.HAIR: QCoreApplication.translate("GuidedStart", "Hair salon"),
        ShopKind.BEAUTY: QCoreApplication.translate("GuidedStart", "Beauty spa"),
        ShopKind.BATHHOUSE: QCoreApplication.translate("GuidedStart", "Bathhouse"),
    }[kind]


class ServicesStep(QWidget):
    """The services page with a one-click starter menu above it."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from frontdesk.ui.backoffice.services_page import ServicesPage

        self.desk = desk
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("starterKind")
        for kind in ShopKind:
            self.kind_combo.addItem(kind_label(kind), kind.value)
        self.apply_button = QPushButton(
            QCoreApplication.translate("GuidedStart", "Add this starter menu")
        )
        self.apply_button.setObjectName("applyStarterMenu")
        self.apply_button.setToolTip(
            QCoreApplication.translate(
                "GuidedStart",
                "Adds its services and rooms in the shop's language; nothing is added twice.",
            )
        )
        self.result_label = QLabel()
        self.result_label.setObjectName("starterResult")
        self.result_label.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(QCoreApplication.translate("GuidedStart", "Starter menu:")))
        bar.addWidget(self.kind_combo)
        bar.addWidget(self.apply_button)
        bar.addWidget(self.result_label, 1)
        self.page = ServicesPage(desk)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.page, 1)
        self.apply_button.clicked.connect(self.apply_starter_menu)
        self.apply_button.setEnabled(desk.user.can(Permission.MANAGE_CATALOGUE))

    def apply_starter_menu(self) -> None:
        kind = ShopKind(str(self.kind_combo.currentData()))
        first_run, user = self.desk.services.first_run, self.desk.user
        self.apply_button.setEnabled(False)
        self.desk.runner.run(
            lambda: first_run.apply_starter_menu(kind, user),
            doing=QCoreApplication.translate("GuidedStart", "adding the starter menu"),
            on_done=self._applied,
            on_finished=lambda: self.apply_button.setEnabled(True),
            progress=QCoreApplication.translate("GuidedStart", "Adding the starter menu…"),
            parent=self,
        )

    def _applied(self, applied: StarterApplied) -> None:
        added, rooms_added = applied.services_added, applied.rooms_added
        services = plural_s(
            QCoreApplication.translate("GuidedStart", "%n service(s)", "", added), added
        )
        rooms = plural_s(
            QCoreApplication.translate("GuidedStart", "%n room(s)", "", rooms_added), rooms_added
        )
        text = QCoreApplication.translate("GuidedStart", "Added {services} and {rooms}.").format(
            services=services, rooms=rooms
        )
        if applied.services_refused:
            text += " " + QCoreApplication.translate(
                "GuidedStart", "Not added (longer than the opening hours?): {names}."
            ).format(names=", ".join(applied.services_refused))
        self.result_label.setText(text)


class GuidedStart(QDialog):
    """Steps 3-6 of the guided start, over the signed-in window."""

    def __init__(self, desk: Desk, parent: QWidget | None = None, *, at: str | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("guidedStart")
        self.setWindowTitle(self.tr("Guided start"))
        self.steps = steps()
        self.pages: dict[str, QWidget] = {}
        self.done_steps: frozenset[str] = frozenset()
        self.step_list = QListWidget()
        self.step_list.setObjectName("guidedSteps")
        self.step_list.setMaximumWidth(190)
        self.step_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.heading = QLabel()
        self.heading.setStyleSheet(style.TITLE)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setObjectName("guidedExplanation")
        self.stack = QStackedWidget()
        self.later_button = QPushButton(self.tr("Finish later"))
        self.later_button.setToolTip(
            self.tr(
                "Close the guide; it stays in the back office as \u201cGuided start…\u201d (Esc)"
            )
        )
        self.back_button = QPushButton(self.tr("Back"))
        self.back_button.setToolTip(self.tr("The previous step (Alt+Left)"))
        self.skip_button = QPushButton(self.tr("Skip"))
        self.skip_button.setToolTip(self.tr("Leave this step for later (Alt+S)"))
        self.next_button = QPushButton()
        self.next_button.setAutoDefault(False)
        for button in (self.later_button, self.back_button, self.skip_button):
            button.setAutoDefault(False)  # Enter belongs to the page's own form
        buttons = QHBoxLayout()
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.next_button)
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(self.explanation)
        right.addWidget(self.stack, 1)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.step_list)
        layout.addLayout(right, 1)
        self._fill_step_list()
        self.later_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(self.back)
        self.skip_button.clicked.connect(self.skip)
        self.next_button.clicked.connect(self.next)
        self.step_list.currentRowChanged.connect(self._show_row)
        QShortcut(QKeySequence("Alt+Left"), self, self.back)
        QShortcut(QKeySequence("Alt+Right"), self, self.next)
        QShortcut(QKeySequence("Alt+S"), self, self.skip)
        if parent is not None:
            self.resize(max(900, int(parent.width() * 0.9)), max(640, int(parent.height() * 0.9)))
        else:
            self.resize(1100, 720)
        self._start_at = at
        self._load_done()

    # -- steps -------------------------------------------------------------------------------

    def _fill_step_list(self) -> None:
        self.step_list.addItem(QListWidgetItem(self.tr("1. The shop")))
        self.step_list.addItem(QListWidgetItem(self.tr("2. The owner")))
        for number, step in enumerate(self.steps, start=3):
            item = QListWidgetItem(f"{number}. {step.title}")
            item.setData(Qt.ItemDataRole.UserRole, step.key)
            self.step_list.addItem(item)
        for row in (0, 1):  # done before this window: the back office's shop page edits it
            self.step_list.item(row).setFlags(Qt.ItemFlag.NoItemFlags)

    def _load_done(self) -> None:
        first_run = self.desk.services.first_run
        self.desk.runner.run(
            first_run.steps_done,
            doing=self.tr("opening the guided start"),
            on_done=self._done_loaded,
            parent=self,
        )

    def reopen(self, at: str | None = None) -> None:
        """Shown again: start at `at`, or at the first step left."""
        self._start_at = at
        self._load_done()

    def _done_loaded(self, done: frozenset[str]) -> None:
        self._mark_list(done)
        key = self._start_at or next((s for s in WINDOW_STEPS if s not in done), WINDOW_STEPS[0])
        self.show_step(key)

    def _mark_list(self, done: frozenset[str]) -> None:
        self.done_steps = done
        for row in range(self.step_list.count()):
            item = self.step_list.item(row)
            key = STEPS[row]
            mark = "\u2713 " if key in done else ""
            text = item.text().removeprefix("\u2713 ")
            item.setText(mark + text)

    @property
    def current_key(self) -> str:
        return self.steps[self.stack.currentIndex()].key if self.pages else WINDOW_STEPS[0]

    def _index(self, key: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.key == key)

    def show_step(self, key: str) -> QWidget:
        """Show (building it the first time) the page of step `key`."""
        step = self.steps[self._index(key)]
        if not self.pages:
            for _step in self.steps:  # placeholders keep the stack's order; pages build later
                self.stack.addWidget(QWidget())
        page = self.pages.get(key)
        if page is None:
            page = self.pages[key] = step.build(self.desk)
            page.setObjectName(f"guided_{key}")
            index = self._index(key)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
        self.stack.setCurrentWidget(page)
        self.heading.setText(
            self.tr("Step {number} of {total}: {title}").format(
                number=STEPS.index(key) + 1, total=len(STEPS), title=step.title
            )
        )
        self.explanation.setText(step.explanation)
        last = key == WINDOW_STEPS[-1]
        self.next_button.setText(self.tr("Finish") if last else self.tr("Next"))
        self.next_button.setToolTip(
            self.tr("Done with the guide (Alt+Right)")
            if last
            else self.tr("The next step (Alt+Right)")
        )
        self.back_button.setEnabled(key != WINDOW_STEPS[0])
        row = STEPS.index(key)
        if self.step_list.currentRow() != row:
            self.step_list.blockSignals(True)
            self.step_list.setCurrentRow(row)
            self.step_list.blockSignals(False)
        return page

    def _show_row(self, row: int) -> None:
        if 2 <= row < len(STEPS):
            self.show_step(STEPS[row])

    def back(self) -> None:
        index = WINDOW_STEPS.index(self.current_key)
        if index > 0:
            self.show_step(WINDOW_STEPS[index - 1])

    def skip(self) -> None:
        self._move_on()

    def next(self) -> None:
        self._move_on()

    def _move_on(self) -> None:
        """Remember the step as done (finished or skipped) and show the next one."""
        key = self.current_key
        following = WINDOW_STEPS.index(key) + 1
        first_run, user = self.desk.services.first_run, self.desk.user

        def moved(done: frozenset[str]) -> None:
            self._mark_list(done)
            if following < len(WINDOW_STEPS):
                self.show_step(WINDOW_STEPS[following])
            else:
                self.accept()

        self.desk.runner.run(
            lambda: first_run.mark_done(key, user),
            doing=self.tr("moving to the next step"),
            on_done=moved,
            parent=self,
        )


def open_guided_start(desk: Desk, parent: QWidget, *, at: str | None = None) -> GuidedStart:
    """Open the guided start over `parent` at the first step not yet done (or `at`).

    One per window, kept when closed and shown again: its pages may still have work running
    on the database worker, whose results must find them alive.
    """
    kept = parent.findChild(GuidedStart, "guidedStart")
    if isinstance(kept, GuidedStart):
        if not kept.isVisible():
            kept.reopen(at)
        kept.show()
        kept.activateWindow()
        return kept
    dialog = GuidedStart(desk, parent, at=at)
    dialog.show()
    return dialog
