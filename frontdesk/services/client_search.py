"""Finding clients by name prefix, name substring, phone fragment or card number.

SQLite: prefixes use the plain indexes on the case-folded name columns; substrings of three or
more characters use the FTS5 trigram index (trigrams cannot match shorter text). PostgreSQL:
the same prefixes, and LIKE for substrings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select, text
from sqlalchemy.orm import Session

from db.models import Allergy, Appointment, Customer
from db.search_index import FTS_TABLE, fold
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.cards import looks_like_card_number

PREFIX_END = "\U0010ffff"
MIN_PHONE_DIGITS = 3
MIN_CARD_DIGITS = 4
#: How many different card prefixes ("FD-", "AB") a shop is expected to have issued.
MAX_CARD_PREFIXES = 16


def _digits_only(query: str) -> str | None:
    stripped = query.replace(" ", "").replace("-", "").replace("+", "").replace("(", "")
    stripped = stripped.replace(")", "")
    return stripped if stripped.isdigit() else None


def _fts_phrase(column: str, value: str) -> str:
    return f'{column}:"{value.replace(chr(34), chr(34) * 2)}"'


def _uses_fts(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def search_customer_ids(session: Session, query: str, limit: int) -> list[int]:
    """Ids of matching clients, best first: card, then name/phone prefix, then substring."""
    raw = query.strip()
    if not raw:
        return []
    found: list[int] = []

    def add(stmt: Select[tuple[int]]) -> None:
        if len(found) >= limit:
            return
        for (cid,) in session.execute(stmt.limit(limit)).all():
            if cid not in found:
                found.append(cid)
                if len(found) >= limit:
                    return

    if looks_like_card_number(raw):
        add(select(Customer.id).where(Customer.card_number.in_(_card_numbers(session, raw))))
        if found:  # card numbers are unique: the holder is the whole answer
            return found
    digits = _digits_only(raw)
    if digits is not None:
        if MIN_CARD_DIGITS <= len(digits) <= 32:  # a card typed without its prefix, first
            add(select(Customer.id).where(Customer.card_number.in_(_card_numbers(session, digits))))
        # A national trunk prefix (07700 ... in the UK, 8 916 ... in Russia is not handled)
        # is not stored in E.164, so leading zeros only narrow the fragment wrongly.
        digits = digits.lstrip("0")
        if len(digits) >= MIN_PHONE_DIGITS:
            add(_phone_match(session, digits, limit))
        return found
    q = fold(raw)
    for column in (Customer.search_name, Customer.search_name_rev):
        add(select(Customer.id).where(column >= q, column < q + PREFIX_END).order_by(column))
    if len(found) < limit and len(q) >= 3:
        if _uses_fts(session):
            add(
                select(Customer.id)
                .where(
                    Customer.id.in_(
                        text(
                            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :m LIMIT :n"
                        ).bindparams(m=_fts_phrase("search_name", q), n=limit * 4)
                    )
                )
                .order_by(Customer.search_name)
            )
        else:
            add(
                select(Customer.id)
                .where(Customer.search_name.contains(q, autoescape=True))
                .order_by(Customer.search_name)
            )
    return found


def _card_numbers(session: Session, typed: str) -> list[str]:
    """The card numbers `typed` can mean: itself, and its digits after every prefix the shop's
    cards use ("1922812" -> "FD-1922812"; "FD1922812" -> "FD-1922812")."""
    code = typed.strip().upper()
    letters, digits = re.fullmatch(r"([A-Z]*)-?([0-9]*)", code).groups()  # type: ignore[union-attr]
    candidates = [code]
    for prefix in card_prefixes(session):
        if not letters or prefix.rstrip("-") == letters:
            candidates.append(prefix + digits)
    return candidates


def card_prefixes(session: Session) -> list[str]:
    """The distinct non-digit beginnings of card numbers ("FD-", "AB", "" for digits only),
    found by hopping along the unique index: one indexed min() per prefix, not a scan."""
    column: Any = Customer.card_number
    if session.get_bind().dialect.name == "postgresql":
        column = column.collate("C")  # byte order, so the hops below skip whole prefixes
    prefixes: list[str] = []
    after = ""
    for _ in range(MAX_CARD_PREFIXES):
        card = session.scalar(select(func.min(column)).where(column > after))
        if card is None:
            break
        prefix = re.match(r"[^0-9]*", card).group()  # type: ignore[union-attr]
        prefixes.append(prefix)
        after = prefix + "9\x7f"  # past every card of this prefix followed by digits
    return prefixes


def _phone_match(session: Session, digits: str, limit: int) -> Select[tuple[int]]:
    if _uses_fts(session):
        return select(Customer.id).where(
            Customer.id.in_(
                text(
                    f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :m LIMIT :n"
                ).bindparams(m=_fts_phrase("phone_digits", digits), n=limit)
            )
        )
    return select(Customer.id).where(Customer.phone_digits.contains(digits))


@dataclass(frozen=True)
class SummaryRow:
    id: int
    first_name: str
    last_name: str
    phone: str | None
    card_number: str | None
    has_allergies: bool
    last_visit: datetime | None = None


def load_summaries(session: Session, ids: list[int]) -> list[SummaryRow]:
    """The columns a result list shows (no ORM objects to build), in the order of `ids`: enough
    to tell apart clients with the same name (phone, card, last completed visit)."""
    if not ids:
        return []
    has_allergy = exists().where(Allergy.customer_id == Customer.id)
    last_visit = (
        select(func.max(Appointment.starts_at))
        .where(
            Appointment.customer_id == Customer.id,
            Appointment.status == AppointmentStatus.COMPLETED.value,
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Customer.id,
            Customer.first_name,
            Customer.last_name,
            Customer.phone,
            Customer.card_number,
            has_allergy,
            last_visit,
        ).where(Customer.id.in_(ids))
    ).tuples()
    by_id = {
        row[0]: SummaryRow(*row[:5], has_allergies=bool(row[5]), last_visit=row[6]) for row in rows
    }
    return [by_id[i] for i in ids if i in by_id]
