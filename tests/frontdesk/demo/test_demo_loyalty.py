"""The demo shop has a loyalty scheme in its language and its clients' points from past sales."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.models import LoyaltyEntry, LoyaltyTier, Sale
from frontdesk.demo import build_demo


@pytest.mark.parametrize(("locale", "gold"), [("en", "Gold"), ("zh", "金卡会员")])
def test_demo_clients_have_points_from_their_sales(tmp_path: Path, locale: str, gold: str) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}", create=True)
    build_demo(engine, customers=60, locale=locale, seed=3, today=date(2026, 11, 23))
    with Session(engine) as s:
        assert gold in s.scalars(select(LoyaltyTier.name)).all()
        paid = dict(
            s.execute(
                select(Sale.customer_id, func.sum(Sale.total_minor)).group_by(Sale.customer_id)
            )
            .tuples()
            .all()
        )
        points = dict(
            s.execute(select(LoyaltyEntry.customer_id, LoyaltyEntry.points)).tuples().all()
        )
    assert points
    assert all(points[c] == paid[c] // 100 for c in points)  # 1 point per whole unit
    engine.dispose()
