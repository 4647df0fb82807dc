"""Appointment statuses: confirm, arrive, start and finish a service, no-show, cancel with a reason
(late cancellations marked). Placeholder: the status lane replaces this module."""

from __future__ import annotations

from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork


class AppointmentStatusService:
    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
