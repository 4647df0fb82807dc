"""The end-of-day report: totals by payment method and by therapist, and every sale."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from db.backup import BackupKind
from db.errors import DatabaseProblem
from db.models import Customer, Payment, Sale, SaleLine, Staff
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.money import Money
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission
from frontdesk.domain.shop_time import day_bounds_utc
from frontdesk.services.auth import SignedIn
from frontdesk.services.backups import BackupService
from frontdesk.services.clock import Clock
from frontdesk.services.receipt_words import shop_words
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads
from printing.day_report_data import DayReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DayClosed:
    """What closing the day did: the automatic backup taken, or why there is none."""

    backup: Path | None
    #: Why there is no backup (a known error, written in the reader's language where shown).
    problem: DatabaseProblem | None = None


@dataclass(frozen=True)
class MethodTotal:
    """What one payment method took in a day."""

    method: PaymentMethod
    payments: int
    amount: Money


@dataclass(frozen=True)
class TherapistTotal:
    """What one therapist's services sold for in a day."""

    name: str
    services: int
    amount: Money


@dataclass(frozen=True)
class DayFigures:
    """A day's takings as values; the window writes them in its own language."""

    day: date
    sales: int
    gross: Money
    tax: Money
    average: Money
    cash_expected: Money
    by_method: tuple[MethodTotal, ...]
    by_therapist: tuple[TherapistTotal, ...]


@dataclass(frozen=True)
class EndOfDay:
    """One read of a day: its figures for the window and its report for the PDF."""

    figures: DayFigures
    report: DayReport


class ReportService:
    """Use cases of the Reports area.

    There is no separate close-day action yet: writing today's end-of-day report closes the
    day, and closing the day takes an automatic backup.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        shop: ShopService | None = None,
        backups: BackupService | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop or ShopService(uow, clock)
        self._backups = backups

    def close_day_if_today(self, day: date) -> DayClosed | None:
        """After today's end-of-day report: the day-closed backup (None for another day).

        A failed backup is reported in the result and logged, never raised: the report is
        written either way.
        """
        if day != self._shop.today() or self._backups is None or not self._backups.available:
            return None
        try:
            return DayClosed(self._backups.take(BackupKind.DAY_CLOSED))
        except DatabaseProblem as exc:
            log.error("The day-closed backup failed: %s", exc.message)
            return DayClosed(None, exc)

    @reads
    def end_of_day(self, day: date, viewer: SignedIn) -> EndOfDay:
        """The day's figures and its PDF report, read in one transaction (so they agree)."""
        return EndOfDay(self.day_figures(day, viewer), self.day_report(day, viewer))

    def day_figures(self, day: date, viewer: SignedIn) -> DayFigures:
        """The takings of the shop-local `day`: totals, by payment method, by therapist."""
        viewer.require(Permission.VIEW_MONEY_REPORTS)
        with self._uow.read() as session:
            shop = self._shop.info()
            start, end = day_bounds_utc(day, shop.zone)
            in_day = (Sale.created_at >= start, Sale.created_at < end)
            count, gross, tax = session.execute(
                select(
                    func.count(Sale.id),
                    func.coalesce(func.sum(Sale.total_minor), 0),
                    func.coalesce(func.sum(Sale.tax_minor), 0),
                ).where(*in_day)
            ).one()
            by_method = session.execute(
                select(Payment.method, func.count(Payment.id), func.sum(Payment.amount_minor))
                .join(Sale, Sale.id == Payment.sale_id)
                .where(*in_day)
                .group_by(Payment.method)
                .order_by(Payment.method)
            ).all()
            by_therapist = session.execute(
                select(Staff.display_name, func.count(SaleLine.id), func.sum(SaleLine.total_minor))
                .join(Sale, Sale.id == SaleLine.sale_id)
                .join(Staff, Staff.id == SaleLine.staff_id)
                .where(*in_day, SaleLine.service_id.is_not(None))  # services, not products
                .group_by(Staff.id, Staff.display_name)
                .order_by(func.sum(SaleLine.total_minor).desc(), Staff.display_name)
            ).all()

        def money(minor: int) -> Money:
            return Money(int(minor), shop.currency)

        methods = tuple(
            MethodTotal(PaymentMethod(method), int(n), money(total))
            for method, n, total in by_method
        )
        return DayFigures(
            day=day,
            sales=int(count),
            gross=money(gross),
            tax=money(tax),
            average=money(int(gross) // int(count) if count else 0),
            cash_expected=money(
                sum(m.amount.minor for m in methods if m.method is PaymentMethod.CASH)
            ),
            by_method=methods,
            by_therapist=tuple(
                TherapistTotal(name, int(n), money(total)) for name, n, total in by_therapist
            ),
        )

    def day_report(self, day: date, viewer: SignedIn) -> DayReport:
        """Everything sold on the shop-local `day`, written for the PDF in the shop's language."""
        viewer.require(Permission.VIEW_MONEY_REPORTS)
        with self._uow.read() as session:
            figures = self.day_figures(day, viewer)  # the same totals the window shows
            shop = self._shop.info()
            words = shop_words(shop.locale)
            report = words.report
            start, end = day_bounds_utc(day, shop.zone)
            in_day = (Sale.created_at >= start, Sale.created_at < end)
            sales = session.execute(
                select(Sale, Customer.first_name, Customer.last_name)
                .outerjoin(Customer, Customer.id == Sale.customer_id)
                .where(*in_day)
                .order_by(Sale.created_at, Sale.id)
            ).all()
            therapists_of_sale = dict(
                session.execute(
                    select(SaleLine.sale_id, func.min(Staff.display_name))
                    .join(Sale, Sale.id == SaleLine.sale_id)
                    .join(Staff, Staff.id == SaleLine.staff_id)
                    .where(*in_day)
                    .group_by(SaleLine.sale_id)
                )
                .tuples()
                .all()
            )
            methods_of_sale: dict[int, set[str]] = {}
            for sale_id, method in session.execute(
                select(Payment.sale_id, Payment.method)
                .join(Sale, Sale.id == Payment.sale_id)
                .where(*in_day)
            ).tuples():
                methods_of_sale.setdefault(sale_id, set()).add(words.payment(PaymentMethod(method)))
            money = shop.formats.money
            summary = (
                (report.sales_count, str(figures.sales)),
                (report.gross, money(figures.gross)),
                (report.tax, money(figures.tax)),
                (report.average, money(figures.average)),
                (report.cash_expected, money(figures.cash_expected)),
            )
            return DayReport(
                shop_name=shop.name,
                title=report.title.format(date=shop.long_date(day)),
                generated_at=report.generated.format(
                    when=shop.date_time(self._clock.now()), name=viewer.name
                ),
                summary=summary,
                by_payment_method=tuple(
                    (words.payment(m.method), m.payments, money(m.amount))
                    for m in figures.by_method
                ),
                by_therapist=tuple(
                    (t.name, t.services, money(t.amount)) for t in figures.by_therapist
                ),
                sales=tuple(
                    (
                        sale.receipt_number,
                        shop.time(sale.created_at),
                        display_name(first, last) if first is not None else "—",
                        therapists_of_sale.get(sale.id, "—"),
                        " + ".join(sorted(methods_of_sale.get(sale.id, set()))),
                        shop.money(sale.total_minor),
                    )
                    for sale, first, last in sales
                ),
                sales_header=report.sales_header,
                empty_message=report.empty,
                labels=report.labels,
                logo_png=shop.logo_png,
            )

    def save_day_report(self, report: DayReport, path: Path) -> Path:
        """Write a built report as a PDF at `path` (atomically) and return the path."""
        from printing.day_report import write_day_report  # reportlab loads only when needed

        write_day_report(report, path)
        return path

    def write_day_report(self, day: date, path: Path, viewer: SignedIn) -> Path:
        """Build the day's report and write its PDF to `path`."""
        return self.save_day_report(self.day_report(day, viewer), path)
