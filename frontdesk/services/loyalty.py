"""Loyalty points (a ledger) and tiers. Placeholder: the loyalty lane replaces this module."""

from __future__ import annotations

from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork


class LoyaltyService:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, shop: ShopService, vault: HealthVault
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
        self._vault = vault
