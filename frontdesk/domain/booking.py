"""Booking rules: whether an appointment may be booked, as pure functions over plain values.

Times here are the shop's local wall-clock times (aware datetimes in the shop's zone, or naive
ones meaning the same); working hours, breaks and opening hours are minutes from local midnight.
A therapist and a room are held for [start, end + the service's buffer); the client only for
[start, end) -- they are not kept for the cleanup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from frontdesk.domain.errors import DomainError, ValidationError

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Busy:
    """A live (booked or checked-in) appointment that may be in the way."""

    appointment_id: int
    staff_id: int
    client_id: int
    room_id: int | None
    starts: datetime
    ends: datetime
    buffer_minutes: int = 0
    places: int = 1
    #: What to call it in a refusal (with its times), never the client's name.
    service_name: str = ""

    @property
    def held_until(self) -> datetime:
        return self.ends + timedelta(minutes=self.buffer_minutes)


@dataclass(frozen=True)
class RoomFree:
    """A room of the kind the service needs (active), and how many places it has."""

    room_id: int
    capacity: int


@dataclass(frozen=True)
class Wanted:
    """The booking asked for."""

    staff_id: int
    client_id: int
    starts: datetime
    duration_minutes: int
    buffer_minutes: int = 0
    #: Whether the service needs a room of a kind (then `rooms` lists the candidates).
    needs_room: bool = False
    places: int = 1

    @property
    def ends(self) -> datetime:
        return self.starts + timedelta(minutes=self.duration_minutes)

    @property
    def held_until(self) -> datetime:
        return self.ends + timedelta(minutes=self.buffer_minutes)


@dataclass(frozen=True)
class StaffDay:
    """The therapist's and the shop's day: spans are (start minute, end minute) from midnight."""

    working: tuple[tuple[int, int], ...]
    breaks: tuple[tuple[int, int], ...] = ()
    absent: bool = False
    #: The shop's opening spans that weekday; None when the shop has set no hours at all.
    opening: tuple[tuple[int, int], ...] | None = None
    closed_day: bool = False
    #: None: no qualifications recorded (allowed); else whether this service is among them.
    qualified: bool | None = None


def _minutes(moment: datetime, day: date) -> int:
    """Minutes from the local midnight of `day` (may pass 1440 when it runs past midnight)."""
    return (moment.date() - day).days * MINUTES_PER_DAY + moment.hour * 60 + moment.minute


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether [start, end) lies inside one span (touching spans are joined)."""
    covered_to = start
    for span_start, span_end in sorted(spans):
        if span_start <= covered_to < span_end:
            covered_to = span_end
        if covered_to >= end:
            return True
    return covered_to >= end


def _overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def check_times(wanted: Wanted) -> None:
    """ValidationError when the booking's own times are impossible."""
    if wanted.duration_minutes <= 0 or wanted.buffer_minutes < 0:
        raise ValidationError("starts", "An appointment must end after it starts.")


def check_day(wanted: Wanted, day: StaffDay) -> None:
    """DomainError naming the rule when the time is outside the therapist's or shop's day."""
    check_times(wanted)
    if day.qualified is False:
        raise ValidationError("service", "This therapist does not do this service.")
    local_day = wanted.starts.date()
    start = _minutes(wanted.starts, local_day)
    end = _minutes(wanted.held_until, local_day)
    if day.closed_day:
        raise ValidationError("starts", "The shop is closed on that day.")
    if day.opening is not None and not _inside(start, end, day.opening):
        raise ValidationError("starts", "That time is outside the shop's opening hours.")
    if day.absent:
        raise ValidationError("staff", "The therapist is away on that day.")
    if not day.working:
        raise ValidationError("staff", "The therapist does not work on that day.")
    if not _inside(start, end, day.working):
        raise ValidationError("starts", "That time is outside the therapist's working hours.")
    for break_start, break_end in day.breaks:
        if start < break_end and break_start < end:
            raise ValidationError("starts", "That time falls in the therapist's break.")


def check_clashes(wanted: Wanted, others: Iterable[Busy]) -> None:
    """DomainError naming the appointment in the way of the therapist or the client."""
    for other in others:
        if other.staff_id == wanted.staff_id and _overlaps(
            wanted.starts, wanted.held_until, other.starts, other.held_until
        ):
            raise ValidationError(
                "starts",
                "The therapist already has an appointment then: {start}-{end} {service}.",
                start=other.starts,
                end=other.ends,
                service=other.service_name,
                appointment_id=other.appointment_id,
            )
        if other.client_id == wanted.client_id and _overlaps(
            wanted.starts, wanted.ends, other.starts, other.ends
        ):
            raise ValidationError(
                "client",
                "The client is already booked then: {start}-{end} {service}.",
                start=other.starts,
                end=other.ends,
                service=other.service_name,
                appointment_id=other.appointment_id,
            )


def choose_room(wanted: Wanted, rooms: Sequence[RoomFree], others: Iterable[Busy]) -> int | None:
    """The first room with enough free places for the booking's whole held time, or None when
    the service needs no room; DomainError when it needs one and none is free."""
    if not wanted.needs_room:
        return None
    if not rooms:
        raise DomainError("There is no room of the kind this service needs.")
    in_the_way = [
        o
        for o in others
        if o.room_id is not None
        and _overlaps(wanted.starts, wanted.held_until, o.starts, o.held_until)
    ]
    for room in rooms:
        used = sum(o.places for o in in_the_way if o.room_id == room.room_id)
        if room.capacity - used >= wanted.places:
            return room.room_id
    raise DomainError("Every room this service needs is full at that time.")


def check_booking(
    wanted: Wanted, day: StaffDay, others: Sequence[Busy], rooms: Sequence[RoomFree]
) -> int | None:
    """Every rule in turn; the room chosen (None when the service needs none)."""
    check_day(wanted, day)
    check_clashes(wanted, others)
    return choose_room(wanted, rooms, others)
