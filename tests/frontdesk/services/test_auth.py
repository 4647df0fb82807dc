from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import AuditEntry
from frontdesk.domain.roles import Permission, Role
from frontdesk.services.auth import AccountLocked, AuthService, NotPermitted, WrongPin
from frontdesk.services.clock import FixedClock
from frontdesk.services.database import Database
from tests.seed import PIN, SeededShop


def _actions(database: Database) -> list[str]:
    with database.read() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_staff_list_and_sign_in(database: Database, clock: FixedClock, shop: SeededShop) -> None:
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
    database: Database, clock: FixedClock, shop: SeededShop
) -> None:
    auth = AuthService(database, clock)
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongPin, match=f"{left} tries left"):
            auth.sign_in(shop.therapist_id, "9999")
    with pytest.raises(AccountLocked, match="locked for 15 minutes"):
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
    database: Database, clock: FixedClock, shop: SeededShop
) -> None:
    auth = AuthService(database, clock)
    therapist = auth.sign_in(shop.therapist_id, PIN)
    with pytest.raises(NotPermitted):
        auth.set_pin(shop.owner_id, "5555", therapist)
    auth.set_pin(shop.therapist_id, "24680", therapist)
    assert auth.sign_in(shop.therapist_id, "24680").staff_id == shop.therapist_id
