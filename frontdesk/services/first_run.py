"""The guided start of a new shop: the shop and its owner in one unit of work, which steps are
done, and the one-click starter menus."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from db.models import ShopProfile
from frontdesk.domain.catalogue import ServiceDraft
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.roles import Permission
from frontdesk.domain.rooms import RoomDraft
from frontdesk.domain.starter_menus import ShopKind, StarterMenu, StarterService, starter_menu
from frontdesk.services.audit import record
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.services.catalogue import CatalogueService
from frontdesk.services.clock import Clock
from frontdesk.services.rooms import RoomService
from frontdesk.services.shop import ShopService
from frontdesk.services.shop_setup import ShopDraft, ShopSetupService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

#: The guided start's steps, in order. The first two make the program usable.
STEPS = ("shop", "owner", "staff", "services", "rooms", "printer")
#: AuthService's names for the owner's fields, and the guided start's (the shop has a name too).
_OWNER_FIELDS = {"name": "owner_name"}


@dataclass(frozen=True)
class StarterApplied:
    """What applying a starter menu added (what was already there is left as it is)."""

    services_added: int
    rooms_added: int
    services_kept: int
    rooms_kept: int
    #: Services the catalogue refused (e.g. longer than the shop's opening hours), by name.
    services_refused: tuple[str, ...] = ()


class FirstRunService:
    """Use cases of the guided start."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        shop: ShopService,
        *,
        auth: AuthService,
        shop_setup: ShopSetupService,
        catalogue: CatalogueService,
        rooms: RoomService,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
        self._auth = auth
        self._shop_setup = shop_setup
        self._catalogue = catalogue
        self._rooms = rooms

    def check_shop(self, draft: ShopDraft) -> None:
        """FormErrors for every bad field of the shop's step; no database."""
        self._shop_setup.check(draft)

    def shop_defaults(self) -> ShopDraft:
        """The shop's details as saved, or defaults on a new database."""
        return self._shop_setup.draft()

    @writes
    def start_shop(self, draft: ShopDraft, owner_name: str, pin: str, pin_again: str) -> SignedIn:
        """Create the shop's profile and its owner together, and sign the owner in.

        Every bad field of both steps is refused at once (the owner's name as `owner_name`),
        and nothing is saved unless everything is; refused once anyone exists.
        """
        problems: dict[str, DomainError] = {}
        try:
            self._shop_setup.check(draft)
        except FormErrors as refused:
            problems.update(refused.errors)
        try:
            owner = self._auth.create_first_owner(owner_name, pin, pin_again)
        except FormErrors as refused:
            for field, error in refused.errors.items():
                problems[_OWNER_FIELDS.get(field, field)] = error
            raise FormErrors(problems) from None
        if problems:
            raise FormErrors(problems)  # the owner just made is rolled back with the rest
        self._shop_setup.save(draft, owner)
        self._mark(("shop", "owner"), owner)
        return owner

    @reads
    def steps_done(self) -> frozenset[str]:
        """The guided start's steps finished or skipped so far."""
        with self._uow.read() as session:
            done = session.scalar(
                select(ShopProfile.setup_steps_done).order_by(ShopProfile.id).limit(1)
            )
        return frozenset(step for step in (done or "").split(",") if step in STEPS)

    @writes
    def mark_done(self, step: str, by: SignedIn) -> frozenset[str]:
        """Remember that `step` is finished or skipped; the steps done now."""
        by.require(Permission.MANAGE_SHOP)
        if step not in STEPS:
            raise DomainError("No such step of the guided start: {step}.", step=step)
        return self._mark((step,), by)

    def _mark(self, steps: tuple[str, ...], by: SignedIn) -> frozenset[str]:
        with self._uow.write() as session:
            profile = session.scalars(select(ShopProfile).order_by(ShopProfile.id).limit(1)).first()
            if profile is None:
                raise DomainError("Set up the shop first.")
            done = {s for s in profile.setup_steps_done.split(",") if s in STEPS}
            new = set(steps) - done
            if new:
                done |= new
                profile.setup_steps_done = ",".join(s for s in STEPS if s in done)
                record(
                    session,
                    at=self._clock.now(),
                    action="shop.setup_step",
                    staff_id=by.staff_id,
                    entity="shop_profile",
                    entity_id=profile.id,
                    detail=",".join(s for s in STEPS if s in new),
                )
        return frozenset(done)

    def starter_menu(self, kind: ShopKind) -> StarterMenu:
        """The starter menu of `kind` in the shop's language and currency (nothing saved)."""
        shop = self._shop.info()
        return starter_menu(kind, shop.locale, shop.currency)

    @writes
    def apply_starter_menu(self, kind: ShopKind, by: SignedIn) -> StarterApplied:
        """Add the starter menu's services and rooms that the shop does not have yet (by name:
        applying it twice adds nothing twice), at the shop's default tax rate."""
        by.require(Permission.MANAGE_CATALOGUE)
        menu = self.starter_menu(kind)
        with self._uow.read() as session:
            tax_rate = session.scalar(
                select(ShopProfile.default_tax_rate_bp).order_by(ShopProfile.id).limit(1)
            )
        services_added = 0
        refused: list[str] = []
        for service in menu.services:
            if self._catalogue.find_service(service.category, service.name) is not None:
                continue
            try:
                self._save_service(service, tax_rate or 0, by)
            except FormErrors:  # checked before anything is written: the rest goes on
                refused.append(service.name)
                continue
            services_added += 1
        have = {room.name.casefold() for room in self._rooms.rooms(by, include_archived=True)}
        rooms_added = 0
        for room in menu.rooms:
            if room.name.casefold() in have:
                continue
            self._rooms.save_room(RoomDraft(room.name, room.kind, room.capacity), by)
            rooms_added += 1
        return StarterApplied(
            services_added=services_added,
            rooms_added=rooms_added,
            services_kept=len(menu.services) - services_added - len(refused),
            rooms_kept=len(menu.rooms) - rooms_added,
            services_refused=tuple(refused),
        )

    def _save_service(self, service: StarterService, tax_rate_bp: int, by: SignedIn) -> None:
        self._catalogue.save_service(
            ServiceDraft(
                category=service.category,
                name=service.name,
                duration_minutes=service.duration_minutes,
                buffer_minutes=service.buffer_minutes,
                price_minor=service.price_minor,
                tax_rate_bp=tax_rate_bp,
                room_kind=service.room_kind,
                capacity_used=service.capacity_used,
                ingredients=service.ingredients,
                contraindications=service.contraindications,
                sort_order=service.sort_order,
            ),
            by,
        )
