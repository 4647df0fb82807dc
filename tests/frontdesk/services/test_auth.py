import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import AuditEntry
from frontdesk.domain.roles import Permission, Role
from frontdesk.services.auth import (
    AccountLocked,
    AuthService,
    NotPermitted,
    WrongPin,
    verify_pin,
)
from frontdesk.services.clock import FixedClock
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import PIN, SeededShop


def _actions(database: UnitOfWork) -> list[str]:
    with database.read() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_staff_list_and_sign_in(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> None:
    auth = AuthService(database, clock)
    names = [c.name for c in auth.staff_for_sign_in()]
    assert names == sorted(names)
    assert "Rita Reception" in names
    who = auth.sign_in(shop.receptionist_id, PIN)
    assert who.role is Role.RECEPTIONIST
    assert who.can(Permission.CHECKOUT)
    assert not who.can(Permission.REFUND)
    assert _actions(database) == ["signin.ok"]


def test_five_wrong_pins_lock_the_account_then_it_unlocks(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    auth = AuthService(database, clock)
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongPin, match=f"Tries left before the account locks: {left}"):
            auth.sign_in(shop.therapist_id, "9999")
    with pytest.raises(AccountLocked, match="locked for 15 min"):
        auth.sign_in(shop.therapist_id, "9999")
    # Even the right PIN is refused while locked.
    with pytest.raises(AccountLocked):
        auth.sign_in(shop.therapist_id, PIN)
    clock.instant += timedelta(minutes=16)
    assert auth.sign_in(shop.therapist_id, PIN).name == "Tom Therapist"
    assert _actions(database) == [
        "signin.failed",
        "signin.failed",
        "signin.failed",
        "signin.failed",
        "signin.locked",
        "signin.refused_locked",
        "signin.ok",
    ]


def test_therapist_may_not_change_another_pin(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    auth = AuthService(database, clock)
    therapist = auth.sign_in(shop.therapist_id, PIN)
    with pytest.raises(NotPermitted):
        auth.set_pin(shop.owner_id, "5555", "5555", therapist)
    auth.set_pin(shop.therapist_id, "24680", "24680", therapist)
    assert auth.sign_in(shop.therapist_id, "24680").staff_id == shop.therapist_id


def test_other_terminals_can_write_while_a_pin_is_being_checked(
    database: UnitOfWork,
    db_path: Path,
    clock: FixedClock,
    shop: SeededShop,
) -> None:
    """argon2 takes ~100 ms: a sign-in must not hold SQLite's write lock meanwhile."""
    checking, release = threading.Event(), threading.Event()

    def slow_verify(pin_hash: str, pin: str) -> bool:
        checking.set()
        assert release.wait(timeout=30)
        return verify_pin(pin_hash, pin)

    auth = AuthService(database, clock, verify=slow_verify)
    signed: list[object] = []
    worker = threading.Thread(target=lambda: signed.append(auth.sign_in(shop.owner_id, PIN)))
    worker.start()
    try:
        assert checking.wait(timeout=30)
        other = sqlite3.connect(db_path, timeout=0, isolation_level=None)  # no waiting at all
        try:
            started = time.perf_counter()
            other.execute("BEGIN IMMEDIATE")
            waited = time.perf_counter() - started
            other.execute("UPDATE shop_profile SET receipt_footer = 'Thanks'")
            other.execute("COMMIT")
        finally:
            other.close()
    finally:
        release.set()
        worker.join(timeout=30)
    print(f"\nwrite lock wait during a PIN check: {waited * 1000:.2f} ms")
    assert len(signed) == 1
    assert _actions(database) == ["signin.ok"]
