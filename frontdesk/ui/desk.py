"""What every screen of a signed-in window shares: the services, who is signed in, the one
operation runner, the change bus, the file/printer worker, and how to write money and times."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from frontdesk.bootstrap import AppServices
from frontdesk.domain.formats import Formats
from frontdesk.services.auth import SignedIn
from frontdesk.ui.change_bus import ChangeBus
from frontdesk.ui.events import AppEvents
from frontdesk.ui.operations import OperationRunner
from frontdesk.ui.workers import Executor


def display_locale(language: str, shop_locale: str) -> str:
    """The locale the window writes numbers and dates in: the shop's own when the window speaks
    the shop's language (en_GB keeps '23 Nov'), else the window language's."""
    if not language or shop_locale.split("_", maxsplit=1)[0] == language.split("_", maxsplit=1)[0]:
        return shop_locale
    return language


@dataclass(frozen=True)
class Desk:
    """Handed to every area; screens reach the program only through it."""

    services: AppServices
    user: SignedIn
    runner: OperationRunner
    bus: ChangeBus
    #: Printing, PDF files, the drawer: slow device and disk work, off the database worker.
    io: Executor
    #: Requests between areas (open this client, check out this appointment), which the main
    #: window turns into navigation; never data changes (those travel on the bus).
    requests: AppEvents
    language: str = ""
    #: Stops this desk's bus hearing the services (the window is closing or signing out).
    detach: Callable[[], None] = lambda: None

    def formats(self) -> Formats:
        """Money, dates and times as this window writes them, in the shop's time zone."""
        shop = self.services.shop.info()
        return Formats(display_locale(self.language, shop.locale), shop.zone)


def open_desk(
    services: AppServices,
    user: SignedIn,
    owner: QWidget,
    requests: AppEvents,
    *,
    io: Executor,
    db: Executor | None = None,
    language: str = "",
) -> Desk:
    """A desk for `user` in the window `owner`: its bus hears every change of the services
    (this terminal's and the others'), its runner acts as `user` on the database worker `db`."""
    bus = ChangeBus(owner)
    unsubscribe = services.changes.subscribe(bus.publish)
    runner = OperationRunner(db or io, lambda: services.changes.acting(user.staff_id), owner)
    return Desk(services, user, runner, bus, io, requests, language, unsubscribe)
