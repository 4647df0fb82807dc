"""A BookingService stand-in for the booking dialog's own logic (what it asks, what it shows,
which answer wins), with the real choices; the rules themselves are tested with the real
service in test_booking_dialog.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from frontdesk.bootstrap import AppServices
from frontdesk.domain.errors import DomainError
from frontdesk.domain.money import Money
from frontdesk.services.auth import SignedIn
from frontdesk.services.booking import (
    BookingChoices,
    BookingPlan,
    BookingRequest,
    BookingService,
    PlannedLeg,
)


@dataclass
class FakeBooking:
    """Plans legs one after another per client; `problems[(client_id, leg_index)]` marks a leg;
    `refusals` are raised by book_request in turn (then it books)."""

    real: BookingService
    problems: dict[tuple[int, int], DomainError] = field(default_factory=dict)
    refusals: list[BaseException] = field(default_factory=list)
    previews: list[BookingRequest] = field(default_factory=list)
    booked: list[BookingRequest] = field(default_factory=list)
    choices_for: Callable[[BookingChoices], BookingChoices] = lambda c: c

    def choices(self, viewer: SignedIn, day: date) -> BookingChoices:
        return self.choices_for(self.real.choices(viewer, day))

    def preview(self, request: BookingRequest, by: SignedIn) -> BookingPlan:
        self.previews.append(request)
        services = {s.id: s for s in self.real.choices(by, request.starts.date()).services}
        staff = {s.id: s.name for s in self.real.choices(by, request.starts.date()).staff}
        legs: list[PlannedLeg] = []
        for client_id in request.client_ids:
            at = request.starts
            for index, leg in enumerate(request.legs):
                service = services[leg.service_id]
                ends = at + timedelta(minutes=service.duration_minutes)
                legs.append(
                    PlannedLeg(
                        client_id=client_id,
                        service_id=service.id,
                        service_name=service.name,
                        staff_id=leg.staff_id,
                        staff_name=staff.get(leg.staff_id or -1, "Tom Therapist"),
                        room_id=None,
                        room_name="",
                        resource_names=(),
                        starts=at,
                        ends=ends,
                        held_until=ends + timedelta(minutes=service.buffer_minutes),
                        price=Money(service.price_minor, "GBP"),
                        problem=self.problems.get((client_id, index)),
                    )
                )
                at = ends
        total = Money(sum(leg.price.minor for leg in legs), "GBP")
        return BookingPlan(tuple(legs), total, max(leg.ends for leg in legs))

    def book_request(self, request: BookingRequest, by: SignedIn) -> tuple[int, ...]:
        self.booked.append(request)
        if self.refusals:
            raise self.refusals.pop(0)
        return tuple(range(100, 100 + len(request.client_ids) * len(request.legs)))


def with_fake_booking(services: AppServices) -> tuple[AppServices, FakeBooking]:
    fake = FakeBooking(services.booking)
    return replace(services, booking=fake), fake  # type: ignore[arg-type]
