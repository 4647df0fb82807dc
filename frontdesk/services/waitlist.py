"""The waitlist: clients who want a service within a window, matched when a slot frees up.
Placeholder: the repeat lane replaces this module."""

from __future__ import annotations

from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork


class WaitlistService:
    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
