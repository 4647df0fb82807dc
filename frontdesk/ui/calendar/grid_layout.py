"""Where things go in the time grid, without Qt: the columns (therapists, rooms or the days of a
week), the minutes the grid spans, and overlapping blocks put side by side in lanes.

Plain arithmetic on minutes from local midnight, so a day of 30 therapists x 25 appointments is
laid out in well under a millisecond and the rules are tested without a window."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.services.calendar import AppointmentView, DaySchedule

#: The grid spans at least these hours, more when the shop or an appointment needs it.
DAY_START_MINUTE = 8 * 60
DAY_END_MINUTE = 21 * 60
STEPS = (5, 10, 15, 30)
DEFAULT_STEP = 15


class ColumnKind:
    STAFF = "staff"
    ROOM = "room"
    DAY = "day"


@dataclass(frozen=True)
class GridColumn:
    """One column: a therapist or a room on `day`, or one day of a week (for one of them)."""

    kind: str
    #: The therapist's or room's id (for a week's day: the week's therapist or room).
    id: int
    day: date
    title: str
    #: A second header line (working hours, capacity); written by the window.
    subtitle: str = ""
    #: Lit (working) spans, minutes from local midnight; None: all open time is lit.
    lit: tuple[tuple[int, int], ...] | None = None
    breaks: tuple[tuple[int, int], ...] = ()
    #: The shop's opening spans that day; None when no hours are set (all open).
    opening: tuple[tuple[int, int], ...] | None = None
    closed: bool = False
    #: Whose column: the therapist for a week of a therapist, the room for a week of a room.
    staff_id: int | None = None
    room_id: int | None = None
    color: str = ""


@dataclass(slots=True)
class Placed:
    """An appointment's block: its column, lane and minutes."""

    appointment: AppointmentView
    column: int
    start: int  # minutes from the local midnight of the column's day
    end: int
    held_end: int  # the end of its cleanup buffer
    lane: int = 0
    lanes: int = 1


@dataclass
class Layout:
    columns: tuple[GridColumn, ...]
    first_minute: int
    last_minute: int
    blocks: list[Placed] = field(default_factory=list)

    def by_id(self) -> dict[int, Placed]:
        return {p.appointment.id: p for p in self.blocks}


def minute_of(moment: datetime, day: date) -> int:
    """Minutes from the local midnight of `day` (past midnight: over 1440)."""
    return (moment.date() - day).days * 1440 + moment.hour * 60 + moment.minute


def shown(appt: AppointmentView) -> bool:
    """Cancelled appointments leave the grid (their time is free again); a no-show stays,
    faded: it held the time."""
    return appt.status is not AppointmentStatus.CANCELLED


def staff_columns(schedule: DaySchedule) -> tuple[GridColumn, ...]:
    return tuple(
        GridColumn(
            ColumnKind.STAFF,
            t.id,
            schedule.day,
            t.name,
            lit=t.hours,
            breaks=t.breaks,
            opening=schedule.opening,
            closed=schedule.closed,
            staff_id=t.id,
            color=t.color,
        )
        for t in schedule.therapists
    )


def room_columns(schedule: DaySchedule) -> tuple[GridColumn, ...]:
    return tuple(
        GridColumn(
            ColumnKind.ROOM,
            r.id,
            schedule.day,
            r.name,
            opening=schedule.opening,
            closed=schedule.closed,
            room_id=r.id,
        )
        for r in schedule.rooms
    )


def week_columns(
    days: Sequence[DaySchedule], *, staff_id: int | None = None, room_id: int | None = None
) -> tuple[GridColumn, ...]:
    """The 7 days of a week for one therapist (`staff_id`) or one room (`room_id`)."""
    columns = []
    for schedule in days:
        therapist = next((t for t in schedule.therapists if t.id == staff_id), None)
        columns.append(
            GridColumn(
                ColumnKind.DAY,
                staff_id if staff_id is not None else room_id or 0,
                schedule.day,
                "",
                lit=therapist.hours if therapist is not None else (() if staff_id else None),
                breaks=therapist.breaks if therapist is not None else (),
                opening=schedule.opening,
                closed=schedule.closed,
                staff_id=staff_id,
                room_id=room_id,
                color=therapist.color if therapist is not None else "",
            )
        )
    return tuple(columns)


def column_of(column: GridColumn, appt: AppointmentView) -> bool:
    """Whether `appt` belongs in `column`."""
    if column.kind == ColumnKind.STAFF:
        return appt.therapist_id == column.id
    if column.kind == ColumnKind.ROOM:
        return appt.room_id == column.id
    if appt.starts.date() != column.day:
        return False
    if column.staff_id is not None:
        return appt.therapist_id == column.staff_id
    return appt.room_id == column.room_id


def span_of(
    columns: Sequence[GridColumn], appointments: Iterable[AppointmentView]
) -> tuple[int, int]:
    """The minutes the grid shows: 08:00-21:00 at least, widened to whole hours for the shop's
    opening, the working hours and every appointment (and its buffer)."""
    first, last = DAY_START_MINUTE, DAY_END_MINUTE
    for column in columns:
        for a, b in (*(column.lit or ()), *(column.opening or ())):
            first, last = min(first, a), max(last, b)
    for appt in appointments:
        day = appt.starts.date()
        first = min(first, minute_of(appt.starts, day))
        last = max(last, minute_of(appt.ends, day) + appt.buffer_minutes)
    return first - first % 60, min(24 * 60, last + (-last) % 60)


def lay_out(columns: Sequence[GridColumn], appointments: Iterable[AppointmentView]) -> Layout:
    """Each shown appointment placed in its column; blocks that overlap (a group in one room,
    an override, a no-show and its replacement) share the column side by side, never hidden."""
    columns = tuple(columns)
    appts = [a for a in appointments if shown(a)]
    first, last = span_of(columns, appts)
    layout = Layout(columns, first, last)
    per_column: dict[int, list[Placed]] = {}
    index = _column_index(columns)
    for appt in appts:
        col = index(appt)
        if col is None:
            continue
        day = columns[col].day
        start = minute_of(appt.starts, day)
        end = max(start + 1, minute_of(appt.ends, day))
        per_column.setdefault(col, []).append(
            Placed(appt, col, start, end, end + max(0, appt.buffer_minutes))
        )
    for placed in per_column.values():
        layout.blocks.extend(_lanes(placed))
    return layout


def _column_index(columns: tuple[GridColumn, ...]) -> Callable[[AppointmentView], int | None]:
    """A quick appointment -> column number lookup (a dict per kind, not a scan per block)."""
    if columns and columns[0].kind == ColumnKind.STAFF:
        by_staff = {c.id: n for n, c in enumerate(columns)}
        return lambda a: by_staff.get(a.therapist_id)
    if columns and columns[0].kind == ColumnKind.ROOM:
        by_room = {c.id: n for n, c in enumerate(columns)}
        return lambda a: by_room.get(a.room_id) if a.room_id is not None else None
    by_day = {c.day: n for n, c in enumerate(columns)}

    def week(appt: AppointmentView) -> int | None:
        n = by_day.get(appt.starts.date())
        return n if n is not None and column_of(columns[n], appt) else None

    return week


def _lanes(placed: list[Placed]) -> list[Placed]:
    """Greedy lanes per cluster of overlapping blocks (their buffers count: a tail is never
    hidden under the next block); every block of a cluster is as wide as the cluster allows."""
    placed.sort(key=lambda p: (p.start, p.appointment.id))
    out: list[Placed] = []
    cluster: list[tuple[Placed, int]] = []
    lane_ends: list[int] = []
    cluster_end = -1

    def flush() -> None:
        lanes = len(lane_ends)
        out.extend(
            Placed(p.appointment, p.column, p.start, p.end, p.held_end, lane, lanes)
            for p, lane in cluster
        )

    for p in placed:
        if cluster and p.start >= cluster_end:
            flush()
            cluster, lane_ends, cluster_end = [], [], -1
        lane = next((n for n, end in enumerate(lane_ends) if end <= p.start), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(p.held_end)
        else:
            lane_ends[lane] = p.held_end
        cluster.append((p, lane))
        cluster_end = max(cluster_end, p.held_end)
    if cluster:
        flush()
    return out


def shade_spans(column: GridColumn, first: int, last: int) -> list[tuple[int, int, str]]:
    """The greyed stretches of a column, in order: "closed" (outside opening hours, a closed
    day), "off" (the therapist does not work) and "break"; one entry per stretch."""
    points = {first, last}
    for edges in (column.lit or (), column.breaks, column.opening or ()):
        for a, b in edges:
            points.update((max(first, min(last, a)), max(first, min(last, b))))
    ordered = sorted(points)
    kinds = [(a, _kind_at(column, a)) for a in ordered[:-1]]
    spans: list[tuple[int, int, str]] = []
    for n, (a, kind) in enumerate(kinds):
        b = ordered[n + 1]
        if not kind:
            continue
        if spans and spans[-1][1] == a and spans[-1][2] == kind:
            spans[-1] = (spans[-1][0], b, kind)
        else:
            spans.append((a, b, kind))
    return spans


def _kind_at(column: GridColumn, minute: int) -> str:
    def inside(spans: Iterable[tuple[int, int]]) -> bool:
        return any(a <= minute < b for a, b in spans)

    if column.closed or (column.opening is not None and not inside(column.opening)):
        return "closed"
    if column.lit is not None and not inside(column.lit):
        return "off"
    if inside(column.breaks):
        return "break"
    return ""


def snap(minute: float, step: int) -> int:
    """`minute` rounded to the nearest multiple of `step`."""
    return round(minute / step) * step


def floor_to(minute: float, step: int) -> int:
    return int(minute // step) * step
