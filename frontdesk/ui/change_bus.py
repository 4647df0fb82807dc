"""The typed change bus: every committed change, here or at another terminal, reaches the
screens as one `Changes`; each screen refreshes itself from it. No screen calls another."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from frontdesk.services.changes import ChangeKind, Changes


class ChangeBus(QObject):
    """`publish` may be called from any thread; `changed` is emitted on the GUI thread."""

    changed = Signal(object)  # Changes
    _arrived = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Our own slot: a worker thread's emit is queued to this object's (GUI) thread.
        self._arrived.connect(self._deliver)

    def publish(self, changes: Changes) -> None:
        self._arrived.emit(changes)

    @Slot(object)
    def _deliver(self, changes: Changes) -> None:
        self.changed.emit(changes)


Refresh = Callable[[Changes | None], None]


class FollowChanges(QObject):
    """Refresh `screen` when a change of one of `kinds` arrives: at once while it is visible,
    else once, the next time it is shown (a hidden tab does no work for every sale)."""

    def __init__(
        self,
        screen: QWidget,
        bus: ChangeBus,
        kinds: tuple[ChangeKind, ...],
        refresh: Refresh,
        *,
        wanted: Callable[[Changes], bool] | None = None,
    ) -> None:
        super().__init__(screen)
        self._screen = screen
        self._kinds = kinds
        self._refresh = refresh
        self._wanted = wanted
        self.stale = False
        bus.changed.connect(self._on_changes)
        screen.installEventFilter(self)

    @Slot(object)
    def _on_changes(self, changes: Changes) -> None:
        if not changes.touches(*self._kinds):
            return
        if self._wanted is not None and not self._wanted(changes):
            return
        if self._screen.isVisible():
            self._refresh(changes)
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._screen and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self._refresh(None)
        return False
