"""The next free slots for given services (optionally a therapist, room, weekdays, time window).
Placeholder: the slots lane replaces this module."""

from __future__ import annotations

from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork


class FreeSlotService:
    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
