"""The models and the use cases that write them, on a real PostgreSQL server."""

import pytest
from sqlalchemy import Engine, func, select

from db.migrate import upgrade_to_head
from db.models import Payment, Sale
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.services.auth import AuthService
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clients import ClientService
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import PIN, seed_small_shop

pytestmark = pytest.mark.postgres


def test_search_checkout_and_counter_on_postgresql(pg_engine: Engine) -> None:
    upgrade_to_head(pg_engine)
    database = UnitOfWork(pg_engine)
    clock = FixedClock(NOW)
    shop = seed_small_shop(database, NOW)
    clients = ClientService(database, clock, ShopService(database, clock))
    assert [c.name for c in clients.search("nna sm")] == ["Anna Smith"]
    assert [c.name for c in clients.search("ann")] == ["Anna Smith"]  # prefix, any collation
    assert [c.name for c in clients.search("ивано")] == ["Борис Иванов"]
    assert [c.name for c in clients.search("王")] == ["王芳"]
    assert [c.name for c in clients.search("900123")] == ["Anna Smith"]
    assert clients.find_by_card("fd-0000002").name == "Борис Иванов"
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)
    checkout = CheckoutService(database, clock)
    first = checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, 10000, desk)
    second = checkout.complete_sale(shop.afternoon_appt_id, PaymentMethod.CARD, None, desk)
    assert (first.receipt_number, second.receipt_number) == ("R-000001", "R-000002")
    assert first.change.minor == 1500
    with database.read() as s:
        assert s.scalar(select(func.sum(Sale.total_minor))) == 14500
        assert s.scalar(select(func.count(Payment.id))) == 2
        sale = s.scalars(select(Sale).order_by(Sale.id)).first()
        assert sale is not None
        assert sale.created_at == NOW  # stored UTC, read back aware UTC
