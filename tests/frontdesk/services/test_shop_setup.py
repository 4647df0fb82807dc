"""Setting up the shop: the whole page saved at once, bad fields named, nothing half-saved."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import func, select

from db.models import AuditEntry, ClosedDay, OpeningHours, ShopProfile
from frontdesk.domain.errors import FormErrors
from frontdesk.domain.opening import Span
from frontdesk.domain.roles import Role
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.shop import ShopService
from frontdesk.services.shop_setup import ShopDraft, ShopSetupService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import SeededShop

OWNER = SignedIn(staff_id=None, name="Owner", role=Role.OWNER)
MANAGER = SignedIn(staff_id=None, name="Manager", role=Role.MANAGER)

GOOD = ShopDraft(
    name="Lotus Spa",
    address="1 High Street\nLondon",
    phone="020 7946 0000",
    tax_id="GB123456789",
    currency="GBP",
    locale="en_GB",
    timezone="Europe/London",
    receipt_header="Lotus Spa\nVAT GB123456789",
    receipt_footer="Thank you",
    default_tax_rate_bp=2000,
    rounding_step="0.05",
    rounding_mode="half_even",
    rounding_cash_only=False,
    hours=((0, 540, 780), (0, 840, 1080), (5, 600, 960)),
    closed_days=((date(2026, 12, 25), "Christmas"), (date(2026, 12, 26), "  Boxing   Day ")),
)


def png(width: int, height: int, colour: tuple[int, int, int, int] = (200, 30, 30, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def shops(backend_db: UnitOfWork, clock: FixedClock) -> tuple[ShopSetupService, ShopService]:
    shop = ShopService(backend_db, clock)
    return ShopSetupService(backend_db, clock, shop), shop


def test_an_empty_database_gets_a_profile_with_hours_and_closed_days(
    shops: tuple[ShopSetupService, ShopService], backend_db: UnitOfWork
) -> None:
    setup, shop = shops
    assert setup.draft().name == "FrontDesk Spa"  # defaults before any profile
    info = setup.save(GOOD, OWNER)
    assert info.name == "Lotus Spa"
    assert info.phone_region == "GB"
    assert info.rounding_step_minor == 5
    assert info.hours == (Span(0, 540, 780), Span(0, 840, 1080), Span(5, 600, 960))
    assert info.closed_days == (
        (date(2026, 12, 25), "Christmas"),
        (date(2026, 12, 26), "Boxing Day"),
    )
    assert shop.info() == info  # the cache was dropped by the change
    again = setup.draft()
    assert again.hours == GOOD.hours
    assert again.rounding_step == "0.05"
    assert again.closed_days[1] == (date(2026, 12, 26), "Boxing Day")
    with backend_db.read() as session:
        assert session.scalar(select(func.count()).select_from(ShopProfile)) == 1
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "shop")).one()
        assert audit.action == "shop.created"
        assert "Lotus" not in audit.detail


def test_saving_again_replaces_hours_and_days_and_audits_the_fields(
    shops: tuple[ShopSetupService, ShopService], backend_db: UnitOfWork
) -> None:
    setup, _shop = shops
    setup.save(GOOD, OWNER)
    changed = dataclasses.replace(
        GOOD,
        hours=((0, 540, 1080), (2, 600, 720)),
        closed_days=((date(2026, 12, 25), "Xmas"),),
        receipt_header="",
        late_cancel_hours=48,
    )
    info = setup.save(changed, OWNER)
    assert info.late_cancel_hours == 48
    assert info.hours == (Span(0, 540, 1080), Span(2, 600, 720))
    assert info.closed_days == ((date(2026, 12, 25), "Xmas"),)
    assert info.longest_opening == 540
    with backend_db.read() as session:
        assert session.scalar(select(func.count()).select_from(OpeningHours)) == 2
        assert session.scalar(select(func.count()).select_from(ClosedDay)) == 1
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "shop.updated")).one()
        assert set(audit.detail.split(",")) == {
            "receipt_header",
            "hours",
            "closed_days",
            "late_cancel_hours",
        }


def test_every_bad_field_is_named_and_nothing_is_saved(
    shops: tuple[ShopSetupService, ShopService], backend_db: UnitOfWork
) -> None:
    setup, _shop = shops
    setup.save(GOOD, OWNER)
    bad = dataclasses.replace(
        GOOD,
        name="  ",
        currency="XXQ",
        timezone="Mars/Olympus",
        default_tax_rate_bp=10_001,
        hours=((0, 540, 780), (0, 700, 900), (3, 900, 800), (4, 0, 1500)),
        receipt_footer="x" * 401,
        receipt_header="\n".join("line" for _ in range(9)),
        logo_png=b"not a picture",
        closed_days=((date(2026, 1, 1), "a"), (date(2026, 1, 1), "b")),
        late_cancel_hours=169,
    )
    with pytest.raises(FormErrors) as caught:
        setup.save(bad, OWNER)
    assert set(caught.value.errors) == {
        "name",
        "currency",
        "timezone",
        "default_tax_rate",
        "hours_0",
        "hours_3",
        "hours_4",
        "receipt_footer",
        "receipt_header",
        "logo",
        "closed_days",
        "late_cancel_hours",
    }
    assert "overlap" in caught.value.errors["hours_0"].message
    assert setup.draft() == dataclasses.replace(
        GOOD,
        closed_days=((date(2026, 12, 25), "Christmas"), (date(2026, 12, 26), "Boxing Day")),
        phone="020 7946 0000",
    )


def test_check_is_pure_and_matches_save() -> None:
    ShopSetupService.check(GOOD)
    with pytest.raises(FormErrors) as caught:
        ShopSetupService.check(dataclasses.replace(GOOD, locale="xx", phone="123"))
    assert set(caught.value.errors) == {"locale"}
    with pytest.raises(FormErrors) as caught:
        ShopSetupService.check(dataclasses.replace(GOOD, phone="12"))
    assert set(caught.value.errors) == {"phone"}
    with pytest.raises(FormErrors) as caught:
        ShopSetupService.check(dataclasses.replace(GOOD, currency="JPY", rounding_step="0.05"))
    assert set(caught.value.errors) == {"rounding_step"}


def test_only_an_owner_may_change_the_shop(
    shops: tuple[ShopSetupService, ShopService],
) -> None:
    setup, _shop = shops
    with pytest.raises(NotPermitted):
        setup.save(GOOD, MANAGER)


def test_a_logo_is_made_small_and_black_and_white() -> None:
    logo = ShopSetupService.logo(png(2000, 1000))
    image = Image.open(io.BytesIO(logo))
    assert image.format == "PNG"
    assert image.mode == "1"
    assert image.width <= 360
    assert image.height <= 200
    jpeg = io.BytesIO()
    Image.new("RGB", (100, 50), (0, 0, 0)).save(jpeg, format="JPEG")
    assert Image.open(io.BytesIO(ShopSetupService.logo(jpeg.getvalue()))).size == (100, 50)
    ShopSetupService.check(dataclasses.replace(GOOD, logo_png=logo))


@pytest.mark.parametrize(
    "data",
    [b"", b"GIF89a....", b"\x89PNG\r\n\x1a\nbroken", b"x" * (5 * 1024 * 1024 + 1)],
    ids=["empty", "gif header", "broken png", "too large"],
)
def test_a_file_that_is_no_logo_is_refused_at_the_field(data: bytes) -> None:
    with pytest.raises(FormErrors) as caught:
        ShopSetupService.logo(data)
    assert set(caught.value.errors) == {"logo"}


def test_a_logo_too_big_for_a_receipt_is_refused_when_saved_unprepared() -> None:
    with pytest.raises(FormErrors) as caught:
        ShopSetupService.check(dataclasses.replace(GOOD, logo_png=png(800, 100)))
    assert set(caught.value.errors) == {"logo"}


def test_the_seeded_shop_keeps_working_with_its_profile(
    database: UnitOfWork, clock: FixedClock, shop: SeededShop
) -> None:
    setup = ShopSetupService(database, clock, ShopService(database, clock))
    draft = setup.draft()
    assert draft.name
    info = setup.save(dataclasses.replace(draft, receipt_header="Welcome"), OWNER)
    assert info.receipt_header == "Welcome"
