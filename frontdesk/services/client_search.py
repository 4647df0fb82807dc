"""Finding clients as the desk types: name (any part, accents ignored, Chinese by pinyin
initials), phone (any fragment, typed in any form), e-mail, card number (with or without its
prefix). Ranked: exact matches, then prefix matches, then substrings; among equals, recent
visitors first (`last_visit_at`), then by name.

Every query kind rests on an index (tests/frontdesk/services/test_client_search.py checks the
plans):
- exact and prefix matches: ranges on the plain indexes of the folded columns (search_name,
  search_name_rev, search_initials, email_folded, phone_national, card_number). A Chinese name
  of two characters is a prefix of one of its two orders ("王芳", "芳王"), so it needs no
  substring search;
- substrings of three or more characters: SQLite's FTS5 trigram index (names, phone digits);
  trigrams cannot match shorter text, so shorter text is matched by prefix only. PostgreSQL:
  the same prefix ranges, and LIKE for substrings (a scan: see SUBSTRINGS_ON_POSTGRESQL);
- a prefix that matches very many clients (a first letter): recent visitors are read along the
  last_visit_at index instead of sorting every match.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, func, or_, select, text
from sqlalchemy.orm import Session

from db.models import Allergy, Appointment, Customer
from db.search_index import FTS_TABLE
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.search_text import card_forms, fold, fold_email, phone_query

PREFIX_END = "\U0010ffff"
MIN_PHONE_DIGITS = 3
MIN_SUBSTRING = 3  # trigrams
#: How many different card prefixes ("FD-", "AB") a shop is expected to have issued.
MAX_CARD_PREFIXES = 16
#: Matches read per query kind to rank; a prefix matching more is ranked along last_visit_at.
RANK_WINDOW = 120
#: ... along the index of the last visits, among this many most recent visitors.
RECENT_WINDOW = 1000
#: PostgreSQL: substrings by LIKE over the folded columns, which migration 0007's pg_trgm GIN
#: indexes serve (without the extension, a scan); prefixes use the btree indexes.
SUBSTRINGS_ON_POSTGRESQL = "like"

EXACT, PREFIX, SUBSTRING = 0, 1, 2

Rank = tuple[int, bool, float, str, int]


def _live() -> tuple[ColumnElement[bool], ...]:
    """Clients that can be found: not merged into another record, not erased."""
    return (Customer.merged_into_id.is_(None), Customer.erased_at.is_(None))


@functools.cache
def _prefix_statement(key: str) -> Select[Any]:
    """Clients whose column `key` is between :lo and :hi. Built once per column: a statement
    built on every keystroke cost more in SQLAlchemy than the query does in SQLite."""
    column = getattr(Customer, key)
    return (
        select(Customer.id, Customer.search_name, Customer.last_visit_at, column)
        .where(column >= bindparam("lo"), column < bindparam("hi"), *_live())
        .limit(RANK_WINDOW + 1)
    )


@functools.cache
def _exact_statement(key: str, limit: int) -> Select[Any]:
    column = getattr(Customer, key)
    return (
        select(Customer.id, Customer.search_name, Customer.last_visit_at, column)
        .where(column == bindparam("value"), *_live())
        .limit(limit)
    )


@functools.cache
def _recent_statement(key: str, limit: int) -> Select[Any]:
    """Among the RECENT_WINDOW most recent visitors (along the last_visit_at index), those
    whose column `key` is between :lo and :hi, most recent first."""
    column = getattr(Customer, key)
    latest = (
        select(Customer.id.label("rid"), Customer.last_visit_at.label("rlv"))
        .where(Customer.last_visit_at.is_not(None))
        .order_by(Customer.last_visit_at.desc())
        .limit(RECENT_WINDOW)
        .subquery()
    )
    return (
        select(latest.c.rid, Customer.search_name, latest.c.rlv, column)
        .select_from(latest)
        .join(Customer, Customer.id == latest.c.rid)
        .where(column >= bindparam("lo"), column < bindparam("hi"), *_live())
        .order_by(latest.c.rlv.desc())
        .limit(limit)
    )


def _uses_fts(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _fts_phrase(column: str, value: str) -> str:
    return f'{column}:"{value.replace(chr(34), chr(34) * 2)}"'


class _Ranking:
    """The best rank of each client found so far."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.best: dict[int, Rank] = {}

    def _run(self, stmt: Any, params: dict[str, Any] | None = None) -> Any:
        """Core execution on the session's connection: no ORM layer for plain rows."""
        return self.session.connection().execute(stmt, params or {})

    def add_rows(self, rows: Any, kind: int, exact_value: str | None = None) -> None:
        for cid, name, last_visit, key in rows:
            level = EXACT if exact_value is not None and key == exact_value else kind
            rank: Rank = (
                level,
                last_visit is None,
                -last_visit.timestamp() if last_visit is not None else 0.0,
                name,
                cid,
            )
            if cid not in self.best or rank < self.best[cid]:
                self.best[cid] = rank

    def ranged(self, column: Any, value: str, limit: int) -> None:
        """Clients whose `column` starts with `value` (exact ones first), by recency."""
        key = column.key
        bounds = {"lo": value, "hi": value + PREFIX_END}
        rows = self._run(_prefix_statement(key), bounds).all()
        if len(rows) <= RANK_WINDOW:
            self.add_rows(rows, PREFIX, value)
            return
        # Very many match: the exact ones, then the most recent visitors along their index,
        # then (clients who never visited) the first by the column.
        self.add_rows(self._run(_exact_statement(key, limit), {"value": value}).all(), EXACT)
        self.add_rows(self._run(_recent_statement(key, limit), bounds).all(), PREFIX)
        self.add_rows(rows[:limit], PREFIX)

    def fts(self, column: str, values: tuple[str, ...], fallback: Any) -> None:
        """Clients whose `column` holds one of `values` (3+ characters each) anywhere."""
        values = tuple(v for v in values if len(v) >= MIN_SUBSTRING)
        if not values:
            return
        base = select(Customer.id, Customer.search_name, Customer.last_visit_at, fallback)
        if _uses_fts(self.session):
            match = " OR ".join(_fts_phrase(column, v) for v in values)
            stmt = base.where(
                Customer.id.in_(
                    text(
                        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :m LIMIT :n"
                    ).bindparams(m=match, n=RANK_WINDOW)
                ),
                *_live(),
            )
        else:
            stmt = base.where(
                or_(*(fallback.contains(v, autoescape=True) for v in values)), *_live()
            ).limit(RANK_WINDOW)
        self.add_rows(self._run(stmt).all(), SUBSTRING)

    def prefixed(self) -> int:
        """How many clients were found by an exact or prefix match so far."""
        return sum(1 for rank in self.best.values() if rank[0] <= PREFIX)

    def ids(self, limit: int) -> list[int]:
        return [cid for cid, _ in sorted(self.best.items(), key=lambda kv: kv[1])][:limit]


def search_customer_ids(session: Session, query: str, limit: int, region: str = "") -> list[int]:
    """Ids of matching clients, best first (see the module's docstring); `region` is the
    shop's phone region (for numbers typed without their country code)."""
    raw = query.strip()
    if not raw or limit <= 0:
        return []
    ranking = _Ranking(session)
    forms = card_forms(raw, card_prefixes(session)) if any(c.isdigit() for c in raw) else []
    if forms:
        ranking.add_rows(
            session.execute(
                select(
                    Customer.id, Customer.search_name, Customer.last_visit_at, Customer.card_number
                ).where(Customer.card_number.in_(forms), *_live())
            ).all(),
            EXACT,
        )
        if not raw.isdigit() and ranking.best:  # a card code ("FD-1922812"): its holder
            return ranking.ids(limit)
    phone = phone_query(raw, region)
    if phone is not None:
        if phone.national is not None:
            ranking.add_rows(
                session.execute(
                    select(
                        Customer.id,
                        Customer.search_name,
                        Customer.last_visit_at,
                        Customer.phone_national,
                    ).where(Customer.phone_national == phone.national, *_live())
                ).all(),
                EXACT,
            )
        for fragment in phone.fragments:
            if len(fragment) >= MIN_PHONE_DIGITS:
                ranking.ranged(Customer.phone_national, fragment, limit)
        ranking.fts(
            "phone_digits",
            tuple(f for f in phone.fragments if len(f) >= MIN_PHONE_DIGITS),
            Customer.phone_digits,
        )
        return ranking.ids(limit)
    q = fold(raw)
    if not q:
        return []
    ranking.ranged(Customer.search_name, q, limit)
    ranking.ranged(Customer.search_name_rev, q, limit)
    if q.isascii() and q.isalpha() and len(q) >= 2:
        ranking.ranged(Customer.search_initials, q, limit)
    email = fold_email(raw)
    if len(email) >= 3 and " " not in email:  # two letters are pinyin initials, not an address
        ranking.ranged(Customer.email_folded, email, limit)
    if ranking.prefixed() < limit:  # substrings rank below prefixes: only when room is left
        ranking.fts("search_name", (q,), Customer.search_name)
    return ranking.ids(limit)


def note_visit(session: Session, customer_id: int | None, at: datetime) -> None:
    """A visit at `at` was completed: the client's last visit moves to it if later (search
    ranks recent visitors first). Called in checkout's unit of work; the change is made on the
    client's row object, so the change announced names that client alone."""
    if customer_id is None:
        return
    customer = session.get(Customer, customer_id)
    if customer is not None and (customer.last_visit_at is None or customer.last_visit_at < at):
        customer.last_visit_at = at


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
