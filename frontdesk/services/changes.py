"""What an action changed: kinds of things and their ids, who did it, and on which terminal.

Every committed unit of work announces one `Changes`; screens refresh themselves from it, on this
terminal and (through the change feed) on the others. Only kinds and numeric ids travel: never a
name, a phone or a note.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class ChangeKind(StrEnum):
    """The kinds of things a screen may show, and so may need to refresh."""

    APPOINTMENTS = "appointments"
    CLIENTS = "clients"
    SALES = "sales"
    STAFF = "staff"
    CATALOGUE = "catalogue"  # services, categories, their prices, tags and equipment
    PRODUCTS = "products"  # retail products and their stock
    ROOMS = "rooms"  # rooms and equipment
    SHOP = "shop"  # the shop's profile, opening hours and closed days
    PRINT_JOBS = "print_jobs"
    WAITLIST = "waitlist"  # clients waiting for a slot to free up


#: ids of one kind; None when a statement changed rows it did not name (refresh them all).
Ids = frozenset[int] | None


@dataclass(frozen=True)
class Changes:
    """One committed action's changes. `local` is False for another terminal's."""

    ids: Mapping[ChangeKind, Ids] = field(default_factory=dict)
    actor_staff_id: int | None = None
    terminal: str = ""
    local: bool = True

    def __bool__(self) -> bool:
        return bool(self.ids)

    @property
    def kinds(self) -> frozenset[ChangeKind]:
        return frozenset(self.ids)

    def touches(self, *kinds: ChangeKind) -> bool:
        return any(kind in self.ids for kind in kinds)

    def ids_of(self, kind: ChangeKind) -> Ids:
        """The changed ids of `kind`: empty when untouched, None when 'some, unnamed'."""
        return self.ids.get(kind, frozenset())

    def touches_id(self, kind: ChangeKind, id_: int) -> bool:
        if kind not in self.ids:
            return False
        ids = self.ids[kind]
        return ids is None or id_ in ids

    def to_json(self) -> str:
        return json.dumps(
            {
                "actor": self.actor_staff_id,
                "ids": {
                    kind.value: (None if ids is None else sorted(ids))
                    for kind, ids in self.ids.items()
                },
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, payload: str, *, terminal: str, local: bool = False) -> Changes:
        """Parse a change-log payload; unknown kinds (a newer program) are skipped."""
        data = json.loads(payload)
        known = {k.value for k in ChangeKind}
        ids: dict[ChangeKind, Ids] = {}
        for name, values in dict(data.get("ids", {})).items():
            if name in known:
                ids[ChangeKind(name)] = None if values is None else frozenset(map(int, values))
        actor = data.get("actor")
        return cls(ids, actor if isinstance(actor, int) else None, terminal, local)


class ChangeSet:
    """Changes gathered while a unit of work runs (mutable; frozen into `Changes` at commit)."""

    def __init__(self) -> None:
        self._ids: dict[ChangeKind, set[int] | None] = {}

    def add(self, kind: ChangeKind, ids: Iterable[int] | None = None) -> None:
        if ids is None:
            self._ids[kind] = None
            return
        current = self._ids.setdefault(kind, set())
        if current is not None:
            current.update(ids)

    def clear(self) -> None:
        self._ids.clear()

    def __bool__(self) -> bool:
        return bool(self._ids)

    def freeze(self, *, actor_staff_id: int | None, terminal: str) -> Changes:
        return Changes(
            {k: (None if v is None else frozenset(v)) for k, v in self._ids.items()},
            actor_staff_id,
            terminal,
            True,
        )
