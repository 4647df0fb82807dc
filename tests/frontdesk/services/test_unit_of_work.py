"""One action, one transaction, whatever number of services take part; what it changed is
announced once, here and to the other terminals."""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, func, select, text, update

from db.models import Allergy, Appointment, Customer, Staff
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.services.auth import AuthService
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import HealthVault
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import PIN, SeededShop

#: One health key for the module: its databases outlive a test's keyring.
VAULT_KEY = HealthVault.new_key()

ROOT = Path(__file__).resolve().parents[3]


def _health(database: UnitOfWork, clock: FixedClock) -> ClientHealthService:
    """Health records for clients who have agreed to their keeping. The consent is set under
    the unit of work (as a restored database would hold it): nothing is announced."""
    with database.engine.begin() as conn:
        conn.execute(update(Customer).values(health_consent=True))
    return ClientHealthService(
        database, clock, ShopService(database, clock), HealthVault(VAULT_KEY)
    )


def _allergies(database: UnitOfWork) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(Allergy)) or 0)


def _commits(engine: Engine) -> list[int]:
    seen: list[int] = []
    event.listen(engine, "commit", lambda _conn: seen.append(1))
    return seen


def test_services_in_one_action_share_one_transaction(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    desk = AuthService(backend_db, clock).sign_in(backend_shop.owner_id, PIN)
    health = _health(backend_db, clock)
    checkout = CheckoutService(backend_db, clock)
    commits = _commits(backend_db.engine)

    def allergy_then_sale() -> None:
        health.add_entry(backend_shop.anna_id, "allergy", "nuts", "severe", "", desk)
        checkout.complete_sale(backend_shop.morning_appt_id, PaymentMethod.CARD, None, desk)

    backend_db.run(allergy_then_sale)
    assert len(commits) == 1  # one BEGIN ... COMMIT, not one per service


def test_a_failure_late_in_an_action_undoes_what_every_service_wrote(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock
) -> None:
    desk = AuthService(backend_db, clock).sign_in(backend_shop.owner_id, PIN)
    health = _health(backend_db, clock)
    allergies = _allergies(backend_db)
    heard: list[Changes] = []
    backend_db.subscribe(heard.append)

    def allergy_then_fail() -> None:
        health.add_entry(backend_shop.anna_id, "allergy", "nuts", "severe", "", desk)
        assert _allergies(backend_db) == allergies + 1  # written, inside the action
        raise RuntimeError("the printer caught fire")

    with pytest.raises(RuntimeError):
        backend_db.run(allergy_then_fail)
    assert _allergies(backend_db) == allergies
    assert heard == []  # nothing committed, nothing announced


def test_a_committed_action_announces_its_kinds_ids_and_person(
    database: UnitOfWork, shop: SeededShop, clock: FixedClock
) -> None:
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)
    checkout = CheckoutService(database, clock, print_station="till")
    heard: list[Changes] = []
    database.subscribe(heard.append)
    with database.acting(desk.staff_id):
        sale = checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CARD, None, desk)
    assert len(heard) == 1
    changes = heard[0]
    assert changes.touches_id(ChangeKind.SALES, sale.sale_id)
    assert changes.touches_id(ChangeKind.APPOINTMENTS, shop.morning_appt_id)
    assert changes.touches(ChangeKind.PRINT_JOBS)
    # The paying client's points and last visit changed: that client, and no other, is named
    # (a screen showing another client need not read again).
    with database.read() as session:
        payer = session.get(Appointment, shop.morning_appt_id)
        assert payer is not None
        payer_id = payer.customer_id
    assert changes.ids_of(ChangeKind.CLIENTS) == frozenset({payer_id})
    assert changes.actor_staff_id == desk.staff_id
    assert changes.local


def test_the_shop_profile_is_read_once_and_again_after_it_changes(
    database: UnitOfWork, shop: SeededShop, clock: FixedClock
) -> None:
    from db.models import ShopProfile
    from frontdesk.services.shop import ShopService

    profile = ShopService(database, clock)
    assert profile.info().name == "Willow Test Spa"
    selects: list[str] = []
    event.listen(
        database.engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_a: selects.append(statement),
    )
    assert profile.info().name == "Willow Test Spa"
    assert not [s for s in selects if "shop_profile" in s]  # cached: no query
    with database.write() as session:
        session.execute(update(ShopProfile).values(name="Birch Spa"))
    assert profile.info().name == "Birch Spa"


@pytest.mark.postgres
def test_a_deadlock_is_retried_whole_and_both_actions_land(pg_engine: Engine) -> None:
    """Two actions lock two rows in opposite orders: PostgreSQL aborts one (40P01); the unit
    of work runs it again, and both commit."""
    from db.migrate import upgrade_to_head

    upgrade_to_head(pg_engine)
    uow = UnitOfWork(pg_engine)
    with uow.write() as session:
        session.add_all([Staff(display_name=n, role="therapist", pin_hash="x") for n in ("A", "B")])
    with uow.read() as session:
        a, b = session.scalars(select(Staff.id).order_by(Staff.id)).all()
    both_hold_one = threading.Barrier(2, timeout=10)
    attempts = {"first": 0, "second": 0}
    errors: list[BaseException] = []

    def action(name: str, rows: tuple[int, int]) -> None:
        def work() -> None:
            attempts[name] += 1
            with uow.write() as session:
                session.execute(update(Staff).where(Staff.id == rows[0]).values(color="#111"))
                if attempts[name] == 1:
                    both_hold_one.wait()
                session.execute(update(Staff).where(Staff.id == rows[1]).values(color="#222"))

        try:
            uow.run(work)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=action, args=("first", (a, b))),
        threading.Thread(target=action, args=("second", (b, a))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(attempts.values()) == [1, 2]  # one ran again after the deadlock


# --------------------------------------------------------------- two terminals


@pytest.fixture
def second_terminal(
    request: pytest.FixtureRequest,
) -> Iterator[tuple[UnitOfWork, queue.Queue[str]]]:
    """(this terminal's unit of work, the lines another process prints as it hears changes)."""
    if request.param == "sqlite":
        database: UnitOfWork = request.getfixturevalue("database")
        url = database.engine.url.render_as_string(hide_password=False)
    else:
        engine: Engine = request.getfixturevalue("pg_engine")
        from db.migrate import upgrade_to_head

        upgrade_to_head(engine)
        database = UnitOfWork(engine)
        url = engine.url.render_as_string(hide_password=False)
    request.getfixturevalue("clock")
    from tests.conftest import NOW
    from tests.seed import seed_small_shop

    if request.param != "sqlite" or not _has_shop(database):
        seed_small_shop(database, NOW)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.change_listener", url],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    lines: queue.Queue[str] = queue.Queue()
    assert child.stdout is not None
    threading.Thread(target=lambda: [lines.put(x) for x in child.stdout], daemon=True).start()
    try:
        assert lines.get(timeout=30).strip() == "ready"
        yield database, lines
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=10)
        child.stdout.close()


def _has_shop(database: UnitOfWork) -> bool:
    with database.read() as session:
        return session.scalar(select(Customer.id).limit(1)) is not None


@pytest.mark.parametrize(
    "second_terminal",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_another_terminal_hears_a_change_within_two_seconds(
    second_terminal: tuple[UnitOfWork, queue.Queue[str]], clock: FixedClock
) -> None:
    database, heard = second_terminal
    with database.read() as session:
        anna = session.scalars(select(Customer.id).order_by(Customer.id)).first()
        owner = session.scalars(select(Staff.id).where(Staff.role == "owner")).first()
    assert anna is not None
    health = _health(database, clock)
    desk = AuthService(database, clock).sign_in(owner, PIN)  # announces staff rows (PIN count)
    started = time.monotonic()
    with database.acting(desk.staff_id):
        health.add_entry(anna, "allergy", "latex", "mild", "", desk)
    about_clients = []
    while not about_clients:
        line = json.loads(heard.get(timeout=max(0.01, 2 - (time.monotonic() - started))))
        if "clients" in line["ids"]:
            about_clients.append(line)
    elapsed = time.monotonic() - started
    # (the first sealed entry also stores the key check on the shop's profile: "shop")
    (line,) = about_clients
    assert (line["ids"]["clients"], line["actor"], line["local"]) == ([anna], desk.staff_id, False)
    assert elapsed < 2


def test_a_terminal_does_not_hear_its_own_changes_twice(
    database: UnitOfWork, shop: SeededShop, clock: FixedClock
) -> None:
    from frontdesk.services.change_watch import ChangeWatcher

    desk = AuthService(database, clock).sign_in(shop.owner_id, PIN)
    heard: list[Changes] = []
    database.subscribe(heard.append)
    watcher = ChangeWatcher(database, interval=60)  # polled by hand below
    watcher.start()
    try:
        _health(database, clock).add_entry(shop.anna_id, "allergy", "latex", "mild", "", desk)
        assert watcher.poll_once() == 0  # the change log row is ours: not announced again
        with database.engine.begin() as conn:  # a row as another terminal would write it
            conn.execute(
                text(
                    "INSERT INTO change_log (terminal, at, payload) VALUES "
                    "('other', '2026-11-23 10:00:00', '{\"ids\":{\"appointments\":[7]}}')"
                )
            )
        assert watcher.poll_once() == 1
    finally:
        watcher.stop()
    assert [c.local for c in heard] == [True, False]
    assert heard[1].touches_id(ChangeKind.APPOINTMENTS, 7)


@pytest.mark.expect_log("frontdesk.services.change_watch", logging.WARNING)
def test_a_terminal_that_cannot_follow_the_others_still_works(
    database: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.services import change_watch

    def refuse(_self: object) -> None:
        raise OSError("no LISTEN for you")

    monkeypatch.setattr(change_watch.ChangeWatcher, "start", refuse)
    feed = change_watch.ChangeFeed(database)
    assert feed.start_watching() is False
    feed.stop_watching()  # nothing to stop, nothing raised
