"""The safety gate: booking or selling something whose ingredient or contraindication tags match
a client's allergy or contraindication stops until someone gives a reason to go ahead.

`check` reads (inside the caller's unit of work) the clients' health entries and the items'
tags and asks the domain rule (domain/safety.py). `record_override` writes the reason: a
SafetyOverride row and an audit entry naming the tag kinds, never the client's health text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Allergy, Product, ProductTag, SafetyOverride, Service, ServiceTag
from frontdesk.domain.errors import ValidationError, words
from frontdesk.domain.safety import HealthFlag, ItemTag, matches
from frontdesk.services.audit import record
from frontdesk.services.client_health import alerts_for
from frontdesk.services.health_vault import HealthVault

#: The longest reason kept.
MAX_REASON = 200

SAFETY_STOP = words(
    "{item} is tagged “{tag}”, which matches this client's allergy or contraindication. "
    "Check with the client; to go ahead, give a reason."
)
REASON_TOO_LONG = words("Keep the reason under {limit} characters.")


class SafetyStop(ValidationError):
    """A booking or sale that matches a client's allergy or contraindication, refused until a
    reason is given (field `safety_reason`)."""

    def __init__(self, match: SafetyMatch) -> None:
        super().__init__("safety_reason", SAFETY_STOP, item=match.item_name, tag=match.tag)
        self.match = match


@dataclass(frozen=True)
class SafetyMatch:
    """One of a client's health entries matching one tag of a service or product. Carries the
    catalogue's words (item, tag) and the entry's kind, code and severity -- never its text."""

    customer_id: int
    item_kind: str  # "service" | "product"
    item_id: int
    item_name: str
    tag_kind: str  # "ingredient" | "contraindication"
    tag: str
    entry_kind: str  # "allergy" | "contraindication"
    allergen_code: str  # the listed allergen, "" for free text
    severity: str


def check(
    session: Session,
    vault: HealthVault | None,
    customer_ids: Iterable[int],
    service_ids: Iterable[int] = (),
    product_ids: Iterable[int] = (),
) -> tuple[SafetyMatch, ...]:
    """Every match between the clients' entries and the items' tags (severe first). Nothing
    when the health data is locked (no key here): the gate cannot read it."""
    if vault is None or not vault.ready:
        return ()
    alerts = alerts_for(session, vault, customer_ids)
    if not alerts:
        return ()
    items = _tags(session, sorted(set(service_ids)), sorted(set(product_ids)))
    found: list[SafetyMatch] = []
    for customer_id, entries in alerts.items():
        for entry in entries:
            flag = HealthFlag(entry.kind, entry.code, entry.substance, entry.severity)
            for (kind, item_id, name), tags in items.items():
                for tag in tags:
                    if matches(flag, tag):
                        found.append(
                            SafetyMatch(
                                customer_id,
                                kind,
                                item_id,
                                name,
                                tag.kind,
                                tag.tag,
                                entry.kind,
                                entry.code,
                                entry.severity,
                            )
                        )
    order = {"severe": 0, "moderate": 1, "mild": 2}
    return tuple(sorted(found, key=lambda m: order.get(m.severity, 3)))


def cannot_check(session: Session, vault: HealthVault | None, customer_ids: Iterable[int]) -> bool:
    """Whether the gate is blind for these clients: one of them has allergies or
    contraindications on file, sealed, and the health data key is not on this computer. The
    caller says so plainly (booking and checkout go on: a missing key must not stop the shop,
    but nobody may think the gate looked)."""
    if vault is not None and vault.ready:
        return False
    ids = sorted(set(customer_ids))
    if not ids:
        return False
    found = session.scalar(select(Allergy.id).where(Allergy.customer_id.in_(ids)).limit(1))
    return found is not None


def _tags(
    session: Session, service_ids: Sequence[int], product_ids: Sequence[int]
) -> dict[tuple[str, int, str], list[ItemTag]]:
    items: dict[tuple[str, int, str], list[ItemTag]] = {}
    if service_ids:
        rows = session.execute(
            select(Service.id, Service.name, ServiceTag.kind, ServiceTag.tag)
            .join(ServiceTag, ServiceTag.service_id == Service.id)
            .where(Service.id.in_(service_ids))
            .order_by(Service.id, ServiceTag.id)
        ).tuples()
        for item_id, name, kind, tag in rows:
            items.setdefault(("service", item_id, name), []).append(ItemTag(kind, tag))
    if product_ids:
        rows = session.execute(
            select(Product.id, Product.name, ProductTag.kind, ProductTag.tag)
            .join(ProductTag, ProductTag.product_id == Product.id)
            .where(Product.id.in_(product_ids))
            .order_by(Product.id, ProductTag.id)
        ).tuples()
        for item_id, name, kind, tag in rows:
            items.setdefault(("product", item_id, name), []).append(ItemTag(kind, tag))
    return items


def clean_reason(reason: str) -> str:
    """The reason as kept: spaces collapsed, at most MAX_REASON characters."""
    cleaned = " ".join(reason.split())
    if len(cleaned) > MAX_REASON:
        raise ValidationError("safety_reason", REASON_TOO_LONG, limit=MAX_REASON)
    return cleaned


def stop_unless_reason(found: Sequence[SafetyMatch], reason: str) -> str:
    """The cleaned reason when there are matches and a reason; raises SafetyStop (the first,
    most severe match) when there are matches and no reason; "" when nothing matched."""
    if not found:
        return ""
    cleaned = clean_reason(reason)
    if not cleaned:
        raise SafetyStop(found[0])
    return cleaned


def record_override(
    session: Session,
    *,
    at: datetime,
    staff_id: int | None,
    found: Sequence[SafetyMatch],
    reason: str,
    appointment_id: int | None = None,
    sale_id: int | None = None,
) -> None:
    """One SafetyOverride per client matched, and its audit entry: the tag kinds that matched
    and where, never the client's health text (the reason stays in the override row)."""
    for customer_id in sorted({m.customer_id for m in found}):
        mine = [m for m in found if m.customer_id == customer_id]
        session.add(
            SafetyOverride(
                at=at,
                staff_id=staff_id,
                customer_id=customer_id,
                appointment_id=appointment_id,
                sale_id=sale_id,
                reason=reason,
            )
        )
        kinds = sorted({m.tag_kind for m in mine})
        record(
            session,
            at=at,
            staff_id=staff_id,
            entity="customer",
            entity_id=customer_id,
            action="safety.override",
            detail=(
                f"tag kinds: {', '.join(kinds)}; "
                + (f"appointment {appointment_id}" if appointment_id else f"sale {sale_id}")
            ),
        )
    session.flush()
