"""The facts the booking rules read, for a day or a range, in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event, select

from db.models import (
    AppointmentResource,
    Resource,
    Room,
    Service,
    ServiceEquipment,
    StaffAbsence,
    StaffService,
)
from frontdesk.services.schedule_facts import load_facts
from frontdesk.services.shop import load_shop
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import SeededShop

MONDAY = date(2026, 11, 23)


def test_facts_for_a_range_hold_hours_absences_rooms_equipment_and_appointments(
    backend_db: UnitOfWork, backend_shop: SeededShop
) -> None:
    tom, uma = backend_shop.therapist_id, backend_shop.therapist2_id
    with backend_db.write() as s:
        deep = s.scalars(select(Service).where(Service.name == "Deep Tissue Massage")).one()
        steamer = Resource(name="Steamer", kind="steamer", quantity=2)
        s.add_all([steamer, Room(name="Sauna", kind="sauna", capacity=6)])
        s.flush()
        s.add(ServiceEquipment(service_id=deep.id, resource_id=steamer.id, quantity=1))
        s.add(
            AppointmentResource(
                appointment_id=backend_shop.morning_appt_id, resource_id=steamer.id, quantity=1
            )
        )
        s.add(
            StaffAbsence(
                staff_id=tom,
                first_day=MONDAY + timedelta(days=7),
                last_day=MONDAY + timedelta(days=7),
                kind="holiday",
            )
        )
        s.add(StaffService(staff_id=uma, service_id=deep.id + 1))
    with backend_db.read() as s:
        statements: list[str] = []
        engine = s.get_bind()
        listen = lambda *a: statements.append(a[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listen)
        try:
            shop = load_shop(s)
            statements.clear()
            facts = load_facts(s, shop, MONDAY, MONDAY + timedelta(days=59))
        finally:
            event.remove(engine, "before_cursor_execute", listen)
    assert len(statements) <= 12  # whatever the range
    assert facts.staff_day(tom, deep.id, MONDAY).working == ((540, 1080),)
    assert facts.staff_day(tom, deep.id, MONDAY + timedelta(days=7)).absent
    assert not facts.staff_day(uma, deep.id, MONDAY).working
    assert facts.staff_day(uma, deep.id, MONDAY).qualified is False
    assert facts.staff_day(tom, deep.id, MONDAY).qualified is None
    # Uma does only the facial; by name: Olivia Owner (no qualifications recorded: any), Tom.
    assert facts.staff_for(deep.id) == (backend_shop.owner_id, tom)
    assert [r.capacity for r in facts.rooms_for("Sauna")] == [6]
    assert facts.services[deep.id].equipment[0].kind == "steamer"
    morning = [b for b in facts.busy_on(MONDAY) if b.appointment_id == backend_shop.morning_appt_id]
    assert morning[0].resources == ((steamer.id, 1),)
    assert morning[0].buffer_minutes == 15
    assert morning[0].starts.hour == 10  # shop-local
    assert not facts.busy_on(MONDAY + timedelta(days=1))
