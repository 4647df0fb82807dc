"""Likely duplicates of a new client, and merging two records.

Likely duplicates: the same phone or e-mail, or a similar name (rapidfuzz) among a shortlist
the search index gives (never a scan of every client). Merging moves every row that refers to
the other record (found from the schema's foreign keys, so a new table is not forgotten) to the
kept one; the other record stays as a pointer (merged_into_id). Audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from db.base import Base
from db.models import Allergy, ClientTag, Customer
from frontdesk.domain.clients import ClientForm, normalize_phone
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.health import entry_key
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission
from frontdesk.domain.text import visible_text
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.client_search import load_summaries, search_customer_ids
from frontdesk.services.clients import ClientSummary, _summary
from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

#: How similar (0-100, rapidfuzz token set ratio) a name must be to be offered.
NAME_SIMILARITY = 85
SHORTLIST = 50
OFFERED = 5


@dataclass(frozen=True)
class MergeResult:
    kept_id: int
    merged_id: int
    moved: dict[str, int]


def customer_references() -> tuple[tuple[Table, str], ...]:
    """Every (table, column) with a foreign key to customers.id, except the merge pointer."""
    found: list[tuple[Table, str]] = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "customers" and fk.column.name == "id":
                if table.name == "customers" and fk.parent.name == "merged_into_id":
                    continue
                found.append((table, fk.parent.name))
    return tuple(found)


class ClientMergeService:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, shop: ShopService, vault: HealthVault
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
        self._vault = vault

    @reads
    def likely_duplicates(
        self, form: ClientForm, viewer: SignedIn, *, exclude: int | None = None
    ) -> tuple[ClientSummary, ...]:
        """Clients who may be the one in `form`: same phone or e-mail first, then a similar
        name (rapidfuzz over the search index's shortlist)."""
        viewer.require(Permission.VIEW_CLIENTS)
        shop = self._shop.info()
        live = Customer.erased_at.is_(None) & Customer.merged_into_id.is_(None)
        ids: list[int] = []
        with self._uow.read() as session:
            phone = form.phone.strip()
            if phone:
                try:
                    e164 = normalize_phone(phone, shop.phone_region)
                except ValidationError:
                    e164 = ""
                if e164:
                    ids += session.scalars(
                        select(Customer.id).where(Customer.phone == e164, live).limit(OFFERED)
                    ).all()
            email = form.email.strip().lower()
            if email:
                ids += session.scalars(
                    select(Customer.id)
                    .where(func.lower(Customer.email) == email, live)
                    .limit(OFFERED)
                ).all()
            wanted = visible_text(display_name(form.first_name.strip(), form.last_name.strip()))
            if wanted.strip():
                shortlist: list[int] = []
                for query in {form.last_name.strip(), form.first_name.strip()} - {""}:
                    shortlist += search_customer_ids(session, visible_text(query), SHORTLIST)
                scored = []
                for row in load_summaries(session, list(dict.fromkeys(shortlist))):
                    name = display_name(row.first_name, row.last_name)
                    score = fuzz.token_sort_ratio(wanted.casefold(), name.casefold())
                    if score >= NAME_SIMILARITY:
                        scored.append((-score, row.id))
                ids += [cid for _s, cid in sorted(scored)]
            unique = [i for i in dict.fromkeys(ids) if i != exclude][:OFFERED]
            if not unique:
                return ()
            live_ids = set(
                session.scalars(select(Customer.id).where(Customer.id.in_(unique), live)).all()
            )
            return tuple(
                _summary(r, r.has_allergies, shop, r.last_visit)
                for r in load_summaries(session, [i for i in unique if i in live_ids])
            )

    @writes
    def merge(self, keep_id: int, other_id: int, by: SignedIn) -> MergeResult:
        """Move everything of `other_id` (visits, sales, points, notes, health entries, tags,
        waitlist entries, ...) to `keep_id`; the other record keeps only a pointer."""
        by.require(Permission.MERGE_CLIENTS)
        if keep_id == other_id:
            raise DomainError("Choose two different clients to merge.")
        now = self._clock.now()
        with self._uow.write() as session:
            keep = session.get(Customer, keep_id)
            other = session.get(Customer, other_id)
            for c in (keep, other):
                if c is None or c.erased_at is not None or c.merged_into_id is not None:
                    raise DomainError("That client no longer exists.")
            assert keep is not None
            assert other is not None
            self._drop_duplicates(session, keep_id, other_id)
            # Contact details the kept record lacks come over.
            card = other.card_number
            if card and not keep.card_number:
                other.card_number = None
                session.flush()
                keep.card_number = card
            for field in ("phone", "phone_digits", "phone_national", "email", "email_folded"):
                if not getattr(keep, field) and getattr(other, field):
                    setattr(keep, field, getattr(other, field))
            if keep.birthday is None:
                keep.birthday = other.birthday
            if other.health_consent and not keep.health_consent:
                keep.health_consent = True
                keep.health_consent_at = other.health_consent_at
            if other.marketing_consent and not keep.marketing_consent:
                keep.marketing_consent = True
                keep.marketing_consent_at = other.marketing_consent_at
                keep.marketing_consent_channel = other.marketing_consent_channel
            keep.imported_visits = (keep.imported_visits or 0) + (other.imported_visits or 0)
            other.imported_visits = 0
            if other.last_visit_at and (
                keep.last_visit_at is None or other.last_visit_at > keep.last_visit_at
            ):
                keep.last_visit_at = other.last_visit_at
            if keep.preferred_staff_id is None:
                keep.preferred_staff_id = other.preferred_staff_id
            session.flush()
            moved: dict[str, int] = {}
            for table, column in customer_references():
                col = table.c[column]
                result = session.execute(
                    update(table).where(col == other_id).values({column: keep_id})
                )
                count = int(getattr(result, "rowcount", 0) or 0)
                if count:
                    moved[f"{table.name}.{column}"] = count
            other.merged_into_id = keep_id
            session.flush()
            session.expire_all()
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                entity="customer",
                entity_id=keep_id,
                action="customer.merged",
                detail=f"merged #{other_id}: "
                + ", ".join(f"{k} {v}" for k, v in sorted(moved.items())),
            )
            return MergeResult(keep_id, other_id, moved)

    def _drop_duplicates(self, session: Session, keep_id: int, other_id: int) -> None:
        """Rows the kept record already has (a tag, an allergen) would be there twice."""
        kept_tags = {
            t.casefold()
            for t in session.scalars(select(ClientTag.tag).where(ClientTag.customer_id == keep_id))
        }
        for tag in session.scalars(select(ClientTag).where(ClientTag.customer_id == other_id)):
            if tag.tag.casefold() in kept_tags:
                session.delete(tag)

        def key(row: Allergy) -> str:
            text = self._vault.unseal(bytes(row.substance_sealed)) if row.substance_sealed else ""
            return entry_key(text or row.substance)

        kept = {
            key(a) for a in session.scalars(select(Allergy).where(Allergy.customer_id == keep_id))
        }
        doubled = [
            a.id
            for a in session.scalars(select(Allergy).where(Allergy.customer_id == other_id))
            if key(a) in kept
        ]
        if doubled:
            session.execute(delete(Allergy).where(Allergy.id.in_(doubled)))
        session.flush()
