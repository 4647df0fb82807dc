"""The service menu: categories and services, with their dated prices, tags and equipment.

A service's `price_minor` / `tax_rate_bp` columns hold its price from the start; each price
change is a `ServicePrice` row that holds from its date on (today for a change made now, a later
day for one scheduled ahead). Sales and appointments store the price they were made at, so a
change never alters them; `price_on` is the price of a new sale or booking on a given day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from db.models import (
    Appointment,
    OpeningHours,
    Resource,
    Room,
    SaleLine,
    Service,
    ServiceCategory,
    ServiceEquipment,
    ServicePrice,
    ServiceTag,
    ShopProfile,
)
from frontdesk.domain.catalogue import (
    MAX_CATEGORY,
    DatedPrice,
    Price,
    ServiceDraft,
    check_service,
    longest_opening,
    price_on,
    scheduled_after,
)
from frontdesk.domain.category_colors import category_color, clean_color
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.roles import Permission
from frontdesk.domain.text import clean_line
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

DUPLICATE_NAME = words("This category already has a service called “{name}”.")
DUPLICATE_ARCHIVED = words(
    "An archived service in this category is called “{name}”: restore it instead."
)
LONGER_THAN_OPEN = words(
    "With its buffer this service takes {minutes} minutes, longer than the shop is ever open "
    "in one go ({open_minutes} minutes)."
)
PRICE_FROM_PAST = words("A price change starts today or later: past sales keep their price.")
NO_SUCH_EQUIPMENT = words("Some of the chosen equipment no longer exists.")
NOT_ENOUGH_EQUIPMENT = words("The shop has only {have} of “{name}”.")
ROOM_TOO_SMALL = words("The largest “{kind}” room holds {places}: it could never be booked.")
CATEGORY_TAKEN = words("There is already a category called “{name}”.")
CATEGORY_NEEDED = words("Name the category.")
CATEGORY_IN_USE = words("Services still in this category: {n}. Archive or move them first.")


class CatalogueNotFound(DomainError):
    """The service or category is gone (deleted at another terminal?)."""


@dataclass(frozen=True)
class CategoryRecord:
    id: int
    name: str
    sort_order: int
    active: bool
    #: Active services in the category.
    service_count: int
    #: Its own calendar colour ("#rrggbb"), or "" for the palette's.
    color: str = ""

    @property
    def shown_color(self) -> str:
        """The colour the calendar draws its services in."""
        return category_color(self.id, self.color)


@dataclass(frozen=True)
class ServiceRecord:
    """A service as the back office shows it: its price today and any scheduled change."""

    id: int
    category_id: int
    category: str
    name: str
    duration_minutes: int
    buffer_minutes: int
    #: The price and tax rate that hold today (shop-local).
    price_minor: int
    tax_rate_bp: int
    currency: str
    room_kind: str | None
    capacity_used: int
    bookable: bool
    sort_order: int
    active: bool
    ingredients: tuple[str, ...]
    contraindications: tuple[str, ...]
    #: (resource id, quantity) pairs, by resource id.
    equipment: tuple[tuple[int, int], ...]
    #: Price changes that start after today, soonest first.
    scheduled: tuple[DatedPrice, ...]

    @property
    def next_price(self) -> DatedPrice | None:
        return self.scheduled[0] if self.scheduled else None

    def draft(self) -> ServiceDraft:
        """The record as a draft (with today's price) to change and save back."""
        return ServiceDraft(
            category=self.category,
            name=self.name,
            duration_minutes=self.duration_minutes,
            buffer_minutes=self.buffer_minutes,
            price_minor=self.price_minor,
            tax_rate_bp=self.tax_rate_bp,
            room_kind=self.room_kind,
            capacity_used=self.capacity_used,
            bookable=self.bookable,
            ingredients=self.ingredients,
            contraindications=self.contraindications,
            equipment=self.equipment,
            sort_order=self.sort_order,
        )


@dataclass(frozen=True)
class EquipmentChoice:
    """A piece of equipment (an active Resource) a service may need."""

    id: int
    name: str
    kind: str
    quantity: int


class CatalogueService:
    """Use cases of the back office's Services page (and of imports and the guided start)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop

    # -- reading ----------------------------------------------------------------------------

    @reads
    def services(self, viewer: SignedIn, include_archived: bool = False) -> list[ServiceRecord]:
        """Every service (archived ones when asked), by category order, display order, name."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            query = (
                select(Service)
                .join(ServiceCategory, ServiceCategory.id == Service.category_id)
                .order_by(
                    ServiceCategory.sort_order,
                    ServiceCategory.name,
                    Service.sort_order,
                    Service.name,
                    Service.id,
                )
            )
            if not include_archived:
                query = query.where(Service.active.is_(True))
            rows = list(session.scalars(query))
            return self._records(session, rows)

    @reads
    def service(self, viewer: SignedIn, service_id: int) -> ServiceRecord:
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            row = session.get(Service, service_id)
            if row is None:
                raise CatalogueNotFound("That service no longer exists.")
            return self._records(session, [row])[0]

    @reads
    def find_service(self, category: str, name: str) -> int | None:
        """The id of the service called `name` in the category called `category` (both
        compared trimmed and case-insensitively, archived services included), or None."""
        with self._uow.read() as session:
            return _find_service(session, category, name)

    @reads
    def categories(self, viewer: SignedIn, include_archived: bool = False) -> list[CategoryRecord]:
        """The categories in display order."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            counts: dict[int, int] = {
                category_id: int(count)
                for category_id, count in session.execute(
                    select(Service.category_id, func.count(Service.id))
                    .where(Service.active.is_(True))
                    .group_by(Service.category_id)
                ).tuples()
            }
            query = select(ServiceCategory).order_by(
                ServiceCategory.sort_order, ServiceCategory.name, ServiceCategory.id
            )
            if not include_archived:
                query = query.where(ServiceCategory.active.is_(True))
            return [
                CategoryRecord(c.id, c.name, c.sort_order, c.active, counts.get(c.id, 0), c.color)
                for c in session.scalars(query)
            ]

    @reads
    def price_on(self, service_id: int, day: date) -> Price:
        """The price and tax rate of a new sale or booking of the service on `day`."""
        with self._uow.read() as session:
            return service_price_on(session, service_id, day)

    @reads
    def default_tax_rate(self) -> int:
        """The tax rate a new service starts with: the shop's default (basis points)."""
        with self._uow.read() as session:
            return default_tax_rate(session)

    @reads
    def room_kinds(self, viewer: SignedIn) -> tuple[str, ...]:
        """Room kinds in use (rooms' and services'), for completing the room kind field."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            kinds = set(session.scalars(select(Room.kind).where(Room.kind != "")))
            kinds.update(k for k in session.scalars(select(Service.room_kind)) if k)
            return tuple(sorted(kinds, key=str.casefold))

    @reads
    def equipment_choices(self, viewer: SignedIn) -> tuple[EquipmentChoice, ...]:
        """Active equipment, by name."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            return tuple(
                EquipmentChoice(r.id, r.name, r.kind, r.quantity)
                for r in session.scalars(
                    select(Resource).where(Resource.active.is_(True)).order_by(Resource.name)
                )
            )

    # -- services ---------------------------------------------------------------------------

    @writes
    def save_service(
        self,
        draft: ServiceDraft,
        by: SignedIn,
        service_id: int | None = None,
        price_from: date | None = None,
    ) -> int:
        """Add a service (`service_id` None) or change one; returns its id.

        The category is found by name (case-insensitively) or created. A changed price or tax
        rate holds from `price_from` (a shop-local date, today when None): today's change
        applies to new sales and bookings at once, a later one is scheduled; sales and
        bookings already made keep their price. FormErrors names every bad field.
        """
        by.require(Permission.MANAGE_CATALOGUE)
        clean = check_service(draft)
        now = self._clock.now()
        today = self._shop.today()
        starts = price_from or today
        with self._uow.write() as session:
            errors: dict[str, DomainError] = {}
            if service_id is not None and starts < today:
                errors["price_from"] = ValidationError("price_from", PRICE_FROM_PAST)
            self._check_fits_opening(session, clean, errors)
            self._check_equipment(session, clean, errors)
            self._check_room_fits(session, clean, errors)
            category = self._category_named(session, clean.category)
            self._check_unique_name(session, category, clean.name, service_id, errors)
            if errors:
                raise FormErrors(errors)
            if category is None:
                category = self._new_category(session, clean.category, by)
            elif not category.active:
                category.active = True
            if service_id is None:
                service = Service(
                    category=category,
                    name=clean.name,
                    duration_minutes=clean.duration_minutes,
                    buffer_minutes=clean.buffer_minutes,
                    price_minor=clean.price_minor,
                    tax_rate_bp=clean.tax_rate_bp,
                )
                session.add(service)
                action, detail = "service.created", clean.name
            else:
                found = session.get(Service, service_id, with_for_update=True)
                if found is None:
                    raise CatalogueNotFound("That service no longer exists.")
                service = found
                service.category = category
                service.name = clean.name
                service.duration_minutes = clean.duration_minutes
                service.buffer_minutes = clean.buffer_minutes
                action, detail = "service.updated", clean.name
            service.room_kind = clean.room_kind
            service.capacity_used = clean.capacity_used
            service.bookable = clean.bookable
            service.sort_order = clean.sort_order
            session.flush()
            if service_id is not None:
                changed = self._change_price(
                    session, service, Price(clean.price_minor, clean.tax_rate_bp), starts, today
                )
                if changed:
                    detail += f"; price {clean.price_minor} tax {clean.tax_rate_bp} from {starts}"
            self._replace_tags(session, service.id, clean)
            self._replace_equipment(session, service.id, clean)
            session.flush()
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                action=action,
                entity="service",
                entity_id=service.id,
                detail=detail,
            )
            return service.id

    @writes
    def set_archived(self, service_id: int, archived: bool, by: SignedIn) -> None:
        """Archive a service (it stays on past sales and bookings, but is no longer offered)
        or restore it."""
        by.require(Permission.MANAGE_CATALOGUE)
        with self._uow.write() as session:
            service = session.get(Service, service_id, with_for_update=True)
            if service is None:
                raise CatalogueNotFound("That service no longer exists.")
            if service.active == (not archived):
                return
            if not archived:
                errors: dict[str, DomainError] = {}
                self._check_unique_name(
                    session, service.category, service.name, service.id, errors, active_only=True
                )
                if errors:
                    raise FormErrors(errors)
                service.category.active = True
            service.active = not archived
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                action="service.archived" if archived else "service.restored",
                entity="service",
                entity_id=service.id,
                detail=service.name,
            )

    @writes
    def cancel_scheduled_price(self, service_id: int, starts_on: date, by: SignedIn) -> None:
        """Drop a price change that has not started yet."""
        by.require(Permission.MANAGE_CATALOGUE)
        today = self._shop.today()
        if starts_on <= today:
            raise DomainError("A price change that has started cannot be cancelled.")
        with self._uow.write() as session:
            session.execute(
                delete(ServicePrice).where(
                    ServicePrice.service_id == service_id, ServicePrice.starts_on == starts_on
                )
            )
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                action="service.price_cancelled",
                entity="service",
                entity_id=service_id,
                detail=f"from {starts_on}",
            )

    # -- categories -------------------------------------------------------------------------

    @writes
    def save_category(self, name: str, by: SignedIn, category_id: int | None = None) -> int:
        """Add a category (at the end of the list) or rename one; returns its id."""
        by.require(Permission.MANAGE_CATALOGUE)
        clean = clean_line(
            name, "category_name", "The name", MAX_CATEGORY, required=CATEGORY_NEEDED
        )
        now = self._clock.now()
        with self._uow.write() as session:
            same = self._category_named(session, clean)
            if same is not None and same.id != category_id:
                raise FormErrors(
                    {"category_name": ValidationError("category_name", CATEGORY_TAKEN, name=clean)}
                )
            if category_id is None:
                return self._new_category(session, clean, by).id
            category = session.get(ServiceCategory, category_id)
            if category is None:
                raise CatalogueNotFound("That category no longer exists.")
            category.name = clean
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                action="category.renamed",
                entity="service_category",
                entity_id=category.id,
                detail=clean,
            )
            return category.id

    @writes
    def move_category(self, category_id: int, step: int, by: SignedIn) -> None:
        """Move a category up (step -1) or down (+1) among the active ones."""
        by.require(Permission.MANAGE_CATALOGUE)
        with self._uow.write() as session:
            ordered = list(
                session.scalars(
                    select(ServiceCategory)
                    .where(ServiceCategory.active.is_(True))
                    .order_by(ServiceCategory.sort_order, ServiceCategory.name, ServiceCategory.id)
                    .with_for_update()
                )
            )
            index = next((i for i, c in enumerate(ordered) if c.id == category_id), None)
            if index is None:
                raise CatalogueNotFound("That category no longer exists.")
            target = index + (1 if step > 0 else -1)
            if not 0 <= target < len(ordered):
                return
            ordered[index], ordered[target] = ordered[target], ordered[index]
            for position, category in enumerate(ordered, start=1):
                category.sort_order = position
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                action="category.moved",
                entity="service_category",
                entity_id=category_id,
                detail=f"to {target + 1}",
            )

    @writes
    def set_category_color(self, category_id: int, color: str, by: SignedIn) -> None:
        """Give a category its calendar colour ("#rrggbb"; "" for the palette's)."""
        by.require(Permission.MANAGE_CATALOGUE)
        clean = clean_color(color)
        with self._uow.write() as session:
            category = session.get(ServiceCategory, category_id, with_for_update=True)
            if category is None:
                raise CatalogueNotFound("That category no longer exists.")
            if category.color == clean:
                return
            category.color = clean
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                action="category.recoloured",
                entity="service_category",
                entity_id=category.id,
                detail=clean,
            )

    @writes
    def set_category_archived(self, category_id: int, archived: bool, by: SignedIn) -> None:
        """Archive an empty category (refused while it has active services) or restore it."""
        by.require(Permission.MANAGE_CATALOGUE)
        with self._uow.write() as session:
            category = session.get(ServiceCategory, category_id, with_for_update=True)
            if category is None:
                raise CatalogueNotFound("That category no longer exists.")
            if archived:
                active = session.scalar(
                    select(func.count(Service.id)).where(
                        Service.category_id == category_id, Service.active.is_(True)
                    )
                )
                if active:
                    raise DomainError(CATEGORY_IN_USE, n=int(active))
            category.active = not archived
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                action="category.archived" if archived else "category.restored",
                entity="service_category",
                entity_id=category.id,
                detail=category.name,
            )

    # -- helpers ----------------------------------------------------------------------------

    def _records(self, session: Session, rows: list[Service]) -> list[ServiceRecord]:
        if not rows:
            return []
        ids = [s.id for s in rows]
        today = self._shop.today()
        currency = self._shop.info().currency
        dated: dict[int, list[DatedPrice]] = {}
        for row in session.scalars(select(ServicePrice).where(ServicePrice.service_id.in_(ids))):
            dated.setdefault(row.service_id, []).append(
                DatedPrice(row.starts_on, row.price_minor, row.tax_rate_bp)
            )
        tags: dict[tuple[int, str], list[str]] = {}
        for tag in session.scalars(
            select(ServiceTag).where(ServiceTag.service_id.in_(ids)).order_by(ServiceTag.id)
        ):
            tags.setdefault((tag.service_id, tag.kind), []).append(tag.tag)
        equipment: dict[int, list[tuple[int, int]]] = {}
        for link in session.scalars(
            select(ServiceEquipment)
            .where(ServiceEquipment.service_id.in_(ids))
            .order_by(ServiceEquipment.resource_id)
        ):
            equipment.setdefault(link.service_id, []).append((link.resource_id, link.quantity))
        records = []
        for s in rows:
            prices = dated.get(s.id, [])
            now_price = price_on(Price(s.price_minor, s.tax_rate_bp), prices, today)
            records.append(
                ServiceRecord(
                    id=s.id,
                    category_id=s.category_id,
                    category=s.category.name,
                    name=s.name,
                    duration_minutes=s.duration_minutes,
                    buffer_minutes=s.buffer_minutes,
                    price_minor=now_price.price_minor,
                    tax_rate_bp=now_price.tax_rate_bp,
                    currency=currency,
                    room_kind=s.room_kind,
                    capacity_used=s.capacity_used,
                    bookable=s.bookable,
                    sort_order=s.sort_order,
                    active=s.active,
                    ingredients=tuple(tags.get((s.id, "ingredient"), ())),
                    contraindications=tuple(tags.get((s.id, "contraindication"), ())),
                    equipment=tuple(equipment.get(s.id, ())),
                    scheduled=scheduled_after(prices, today),
                )
            )
        return records

    @staticmethod
    def _category_named(session: Session, name: str) -> ServiceCategory | None:
        wanted = name.strip().casefold()
        for category in session.scalars(select(ServiceCategory).order_by(ServiceCategory.id)):
            if category.name.casefold() == wanted:
                return category
        return None

    def _new_category(self, session: Session, name: str, by: SignedIn) -> ServiceCategory:
        last = session.scalar(select(func.max(ServiceCategory.sort_order))) or 0
        category = ServiceCategory(name=name, sort_order=last + 1, active=True)
        session.add(category)
        session.flush()
        record(
            session,
            at=self._clock.now(),
            staff_id=by.staff_id,
            action="category.created",
            entity="service_category",
            entity_id=category.id,
            detail=name,
        )
        return category

    @staticmethod
    def _check_unique_name(
        session: Session,
        category: ServiceCategory | None,
        name: str,
        service_id: int | None,
        errors: dict[str, DomainError],
        *,
        active_only: bool = False,
    ) -> None:
        if category is None or category.id is None:
            return
        wanted = name.casefold()
        for other_id, other_name, active in session.execute(
            select(Service.id, Service.name, Service.active).where(
                Service.category_id == category.id
            )
        ).tuples():
            if other_id == service_id or other_name.casefold() != wanted:
                continue
            if active:
                errors["name"] = ValidationError("name", DUPLICATE_NAME, name=name)
                return
            if not active_only:
                errors["name"] = ValidationError("name", DUPLICATE_ARCHIVED, name=name)

    @staticmethod
    def _check_fits_opening(
        session: Session, draft: ServiceDraft, errors: dict[str, DomainError]
    ) -> None:
        longest = longest_opening(
            session.execute(
                select(OpeningHours.weekday, OpeningHours.open_minute, OpeningHours.close_minute)
            ).tuples()
        )
        total = draft.duration_minutes + draft.buffer_minutes
        if longest is not None and total > longest:
            errors["duration"] = ValidationError(
                "duration", LONGER_THAN_OPEN, minutes=total, open_minutes=longest
            )

    @staticmethod
    def _check_room_fits(
        session: Session, draft: ServiceDraft, errors: dict[str, DomainError]
    ) -> None:
        """A service taking more places than any room of its kind holds could never be
        booked (checked only once rooms of that kind exist: rooms may be set up later)."""
        if draft.room_kind is None:
            return
        wanted = draft.room_kind.casefold()
        sizes = [
            capacity
            for kind, capacity in session.execute(
                select(Room.kind, Room.capacity).where(Room.active.is_(True))
            ).tuples()
            if kind.casefold() == wanted
        ]
        if sizes and draft.capacity_used > max(sizes):
            errors["capacity_used"] = ValidationError(
                "capacity_used", ROOM_TOO_SMALL, places=max(sizes), kind=draft.room_kind
            )

    @staticmethod
    def _check_equipment(
        session: Session, draft: ServiceDraft, errors: dict[str, DomainError]
    ) -> None:
        if not draft.equipment:
            return
        wanted = dict(draft.equipment)
        found = {r.id: r for r in session.scalars(select(Resource).where(Resource.id.in_(wanted)))}
        if set(found) != set(wanted):
            errors["equipment"] = ValidationError("equipment", NO_SUCH_EQUIPMENT)
            return
        for resource_id, quantity in sorted(wanted.items()):
            resource = found[resource_id]
            if quantity > resource.quantity:
                errors["equipment"] = ValidationError(
                    "equipment", NOT_ENOUGH_EQUIPMENT, have=resource.quantity, name=resource.name
                )
                return

    @staticmethod
    def _change_price(
        session: Session, service: Service, new: Price, starts: date, today: date
    ) -> bool:
        """Make `new` the price from `starts` on; False when it already is.

        A service no sale or booking has used yet simply gets the new price from the start
        (nothing in the past to keep); otherwise the change is a dated price row.
        """
        rows = list(
            session.scalars(select(ServicePrice).where(ServicePrice.service_id == service.id))
        )
        dated = [DatedPrice(r.starts_on, r.price_minor, r.tax_rate_bp) for r in rows]
        base = Price(service.price_minor, service.tax_rate_bp)
        if price_on(base, dated, starts) == new:
            return False
        used = session.scalar(
            select(
                exists().where(Appointment.service_id == service.id)
                | exists().where(SaleLine.service_id == service.id)
            )
        )
        if starts <= today and not used and all(r.starts_on > today for r in rows):
            service.price_minor, service.tax_rate_bp = new.price_minor, new.tax_rate_bp
            return True
        same_day = next((r for r in rows if r.starts_on == starts), None)
        if same_day is None:
            session.add(
                ServicePrice(
                    service_id=service.id,
                    starts_on=starts,
                    price_minor=new.price_minor,
                    tax_rate_bp=new.tax_rate_bp,
                )
            )
        else:
            same_day.price_minor, same_day.tax_rate_bp = new.price_minor, new.tax_rate_bp
        return True

    @staticmethod
    def _replace_tags(session: Session, service_id: int, draft: ServiceDraft) -> None:
        wanted = {("ingredient", t) for t in draft.ingredients} | {
            ("contraindication", t) for t in draft.contraindications
        }
        existing = list(
            session.scalars(select(ServiceTag).where(ServiceTag.service_id == service_id))
        )
        for tag in existing:
            if (tag.kind, tag.tag) not in wanted:
                session.delete(tag)
        have = {(tag.kind, tag.tag) for tag in existing}
        for kind, values in (
            ("ingredient", draft.ingredients),
            ("contraindication", draft.contraindications),
        ):
            for value in values:
                if (kind, value) not in have:
                    session.add(ServiceTag(service_id=service_id, kind=kind, tag=value))

    @staticmethod
    def _replace_equipment(session: Session, service_id: int, draft: ServiceDraft) -> None:
        wanted = dict(draft.equipment)
        for link in session.scalars(
            select(ServiceEquipment).where(ServiceEquipment.service_id == service_id)
        ):
            if link.resource_id not in wanted:
                session.delete(link)
            else:
                link.quantity = wanted.pop(link.resource_id)
        for resource_id, quantity in wanted.items():
            session.add(
                ServiceEquipment(service_id=service_id, resource_id=resource_id, quantity=quantity)
            )


def service_price_on(session: Session, service_id: int, day: date) -> Price:
    """The price of a new sale or booking of the service on `day`, inside the caller's
    transaction (checkout and booking share it)."""
    service = session.get(Service, service_id)
    if service is None:
        raise CatalogueNotFound("That service no longer exists.")
    dated = [
        DatedPrice(r.starts_on, r.price_minor, r.tax_rate_bp)
        for r in session.scalars(select(ServicePrice).where(ServicePrice.service_id == service_id))
    ]
    return price_on(Price(service.price_minor, service.tax_rate_bp), dated, day)


def _find_service(session: Session, category: str, name: str) -> int | None:
    wanted_category = " ".join(category.split()).casefold()
    wanted_name = " ".join(name.split()).casefold()
    for service_id, service_name, category_name in session.execute(
        select(Service.id, Service.name, ServiceCategory.name)
        .join(ServiceCategory, ServiceCategory.id == Service.category_id)
        .order_by(Service.active.desc(), Service.id)
    ).tuples():
        if service_name.casefold() == wanted_name and category_name.casefold() == wanted_category:
            return int(service_id)
    return None


def default_tax_rate(session: Session) -> int:
    """The shop's default tax rate in basis points (0 before the shop is set up)."""
    rate = session.scalar(select(ShopProfile.default_tax_rate_bp).order_by(ShopProfile.id))
    return int(rate or 0)
