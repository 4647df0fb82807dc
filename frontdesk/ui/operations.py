"""One way to run a user action: off the GUI thread, progress only when slow, errors in words.

Every action of the window goes through `OperationRunner.run`: the work runs on the one database
worker, as the signed-in person (so what it changes is announced as theirs on the change bus),
a busy dialog appears only if it takes longer than `progress_after_ms`, a known error is shown in
plain words (or handed to the screen, for a form to show beside its field) and anything else is
reported once as a bug. Screens never refresh by hand after an action: the unit of work announces
what changed and each screen follows the bus.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from frontdesk.ui.errors import known_message, show_error
from frontdesk.ui.workers import Executor

T = TypeVar("T")

Acting = Callable[[], AbstractContextManager[None]]

#: Under this, an action feels instant and no dialog flashes up.
PROGRESS_AFTER_MS = 400


class OperationRunner(QObject):
    """Runs actions for one signed-in person (see the module doc)."""

    busy_changed = Signal(bool)

    def __init__(
        self,
        executor: Executor,
        acting: Acting,
        parent: QWidget | None = None,
        *,
        progress_after_ms: int = PROGRESS_AFTER_MS,
    ) -> None:
        super().__init__(parent)
        self._executor = executor
        self._acting = acting
        self._window = parent
        self._progress_after_ms = progress_after_ms
        self._running = 0
        self.progress: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        return self._running > 0

    def run(
        self,
        work: Callable[[], T],
        *,
        doing: str,
        on_done: Callable[[T], None] | None = None,
        on_known_error: Callable[[BaseException], bool] | None = None,
        on_finished: Callable[[], None] | None = None,
        progress: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Run `work` on the database worker.

        `doing` names the action for a bug report ("taking the payment"). `on_done` gets the
        result on the GUI thread. `on_known_error` may take a known error and return True when
        it showed it itself (beside a form field); otherwise it is shown in a message box.
        `on_finished` runs after either. `progress` is the busy dialog's text when slow.
        """
        owner = parent or self._window
        timer = QTimer(self)
        timer.setSingleShot(True)
        dialog: list[QProgressDialog] = []

        def show_progress() -> None:
            box = QProgressDialog(progress or self.tr("Working…"), "", 0, 0, owner)
            box.setCancelButton(None)  # committed or not at all: nothing to cancel halfway
            box.setWindowModality(Qt.WindowModality.WindowModal)
            box.setMinimumDuration(0)
            box.setObjectName("operationProgress")
            box.show()
            dialog.append(box)
            self.progress = box

        timer.timeout.connect(show_progress)

        def finish() -> None:
            timer.stop()
            timer.deleteLater()
            for box in dialog:
                box.close()
                box.deleteLater()
                if self.progress is box:
                    self.progress = None
            self._running -= 1
            if self._running == 0:
                self.busy_changed.emit(False)
            if on_finished is not None:
                on_finished()

        def done(result: Any) -> None:
            finish()
            if on_done is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            finish()
            handled = on_known_error is not None and known_message(error) is not None
            if handled and on_known_error is not None and on_known_error(error):
                return
            show_error(owner, error, doing)

        def as_person() -> T:
            with self._acting():
                return work()

        self._running += 1
        if self._running == 1:
            self.busy_changed.emit(True)
        timer.start(self._progress_after_ms)
        self._executor.submit(as_person, done, failed)
