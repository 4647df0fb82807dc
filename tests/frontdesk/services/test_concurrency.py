"""Terminals racing each other: sign-in guesses, one appointment paid twice, the first receipt.

Each test starts its threads together on a Barrier, each thread on its own connection, on
SQLite and on a real PostgreSQL server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, Counter, Sale, SaleLine
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.services.auth import AccountLocked, AuthService, WrongPin
from frontdesk.services.checkout import AlreadyPaid, CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import PIN, SeededShop

GUESSERS = 8
PAYERS = 4  # terminals paying the same appointment at the same moment


def _race(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run `work(i)` on `count` threads released together; results and errors, any order."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        barrier.wait(timeout=30)
        try:
            value = work(i)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(value)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive()
    return results, errors


def _pin_checks(database: UnitOfWork) -> int:
    """Sign-ins whose PIN was actually compared: every one leaves ok, failed or locked."""
    with database.read() as s:
        return int(
            s.scalar(
                select(func.count(AuditEntry.id)).where(
                    AuditEntry.action.in_(("signin.ok", "signin.failed", "signin.locked"))
                )
            )
            or 0
        )


def test_parallel_pin_guessers_get_at_most_five_tries_per_lockout(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    auth = AuthService(backend_db, clock)
    wrong = ["9999", "8888", "7777"]

    def guess(i: int) -> list[str]:
        outcomes = []
        for pin in wrong:
            try:
                auth.sign_in(backend_shop.therapist_id, pin)
            except (WrongPin, AccountLocked) as exc:
                outcomes.append(type(exc).__name__)
            else:
                outcomes.append("signed in")
        return outcomes

    results, errors = _race(GUESSERS, guess)
    assert errors == []
    outcomes = [o for r in results for o in r]
    assert len(outcomes) == GUESSERS * len(wrong)
    assert "signed in" not in outcomes
    tries = _pin_checks(backend_db)
    print(f"\n{backend_db.engine.dialect.name}: {tries} PIN checks of {len(outcomes)} guesses")
    assert tries <= 5
    assert outcomes.count("WrongPin") <= 4
    # Locked now: even the right PIN is refused without being checked.
    with pytest.raises(AccountLocked):
        auth.sign_in(backend_shop.therapist_id, PIN)
    assert _pin_checks(backend_db) == tries


def test_one_appointment_paid_at_two_terminals_at_once_is_one_sale(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    desk = AuthService(backend_db, clock).sign_in(backend_shop.receptionist_id, PIN)
    checkout = CheckoutService(backend_db, clock)

    def pay(_i: int) -> str:
        sale = checkout.complete_sale(backend_shop.morning_appt_id, PaymentMethod.CARD, None, desk)
        return sale.receipt_number

    results, errors = _race(PAYERS, pay)
    print(f"\n{backend_db.engine.dialect.name}: {len(results)} sale, {len(errors)} refused")
    assert results == ["R-000001"]
    assert [type(e) for e in errors] == [AlreadyPaid] * (PAYERS - 1)
    assert {e.args for e in errors} == {("This appointment has already been paid.",)}
    with backend_db.read() as s:
        assert s.scalar(select(func.count(Sale.id))) == 1
        assert s.scalar(select(func.count(SaleLine.id))) == 1
        assert s.scalar(select(Counter.value)) == 1


def test_the_first_two_sales_of_a_new_shop_share_the_receipt_counter(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    desk = AuthService(backend_db, clock).sign_in(backend_shop.receptionist_id, PIN)
    checkout = CheckoutService(backend_db, clock)
    appointments = [backend_shop.morning_appt_id, backend_shop.afternoon_appt_id]

    def pay(i: int) -> str:
        return checkout.complete_sale(
            appointments[i], PaymentMethod.CARD, None, desk
        ).receipt_number

    results, errors = _race(2, pay)
    assert errors == []
    assert sorted(results) == ["R-000001", "R-000002"]
    with backend_db.read() as s:
        assert s.scalar(select(Counter.value)) == 2
