"""Receipts to this station's printer from print jobs stored with their sales.

A sale and its print job commit in one transaction (see ``CheckoutService``), so a committed
receipt cannot be lost. ``flush`` prints this station's queued jobs, oldest first:

1. only the process holding the station's :class:`PrinterLock` prints (a second FrontDesk on
   the same computer leaves printing to the first);
2. the bytes are rendered from the stored sale (never a drawer kick);
3. the job is claimed with ``UPDATE ... WHERE state = 'queued'`` and committed as
   ``sending`` before a byte goes out, so no two processes can send the same job;
4. it is sent, and is ``printed`` once the printer answered after taking it, ``sent`` on a
   one-way connection, back to ``queued`` when the printer was not ready, and ``failed``
   ("may not have printed") when the bytes went out but no answer came.

A job still ``sending`` when the owner next starts to print was cut off while being sent:
it may or may not be on paper, so it is listed for a person to print again with one click,
never printed again on its own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select, update

from db.models import PrintJob, PrintJobKind, PrintJobState, Sale
from frontdesk.services.clock import Clock
from frontdesk.services.print_jobs import add_print_job
from frontdesk.services.receipts import build_receipt
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from printing.connections import PrinterConnection, PrinterUnavailable
from printing.escpos_layout import PrinterProfile, render_drawer_kick, render_receipt
from printing.legacy_spool import legacy_jobs, set_aside
from printing.printer_lock import PrinterLock

PrinterCondition = Literal[
    "off",  # no printer is set up at this station
    "unchecked",  # not asked yet since the program started
    "ready",  # the printer answered and took everything
    "sent",  # a one-way printer: receipts were sent, it cannot say whether they printed
    "reachable",  # a one-way printer was reached, nothing sent yet; it cannot say how it is
    "offline",
    "paper_out",
    "cover_open",
    "not_responding",
    "not_owner",  # another FrontDesk on this computer prints this station's receipts
]

_log = logging.getLogger(__name__)

#: last_error codes of failed jobs that a person should look at.
INTERRUPTED = "interrupted"  # the program died while sending it
NO_CONFIRMATION = "no_confirmation"  # the bytes went out, the printer never answered
RENDER_FAILED = "render_failed"  # the sale could not be turned into a receipt


@dataclass(frozen=True)
class PrinterState:
    """What the station's printer is doing, for the status bar.

    ``pending``: jobs waiting to print; ``unprinted``: jobs that may not have printed and
    wait for a person (see :meth:`ReceiptPrinter.unprinted`).
    """

    condition: PrinterCondition
    message: str
    pending: int
    unprinted: int


@dataclass(frozen=True)
class PrintRun:
    """The result of one ``flush``: the printer's state and what became of each job tried."""

    status: PrinterState
    outcomes: dict[int, str]  # job id -> printed / sent / queued / failed


@dataclass(frozen=True)
class UnprintedReceipt:
    """A receipt that may not have printed; ``reason`` is one of the failed-job codes."""

    job_id: int
    receipt_number: str
    created_at: datetime
    reason: str


@dataclass(frozen=True)
class DrawerResult:
    opened: bool
    reason: str = ""


class ReceiptPrinter:
    """Prints this station's stored print jobs; all device I/O runs off the GUI thread."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        connect: Callable[[], PrinterConnection],
        profile: PrinterProfile,
        *,
        station: str,
        lock: PrinterLock,
        enabled: bool = True,
        shop: ShopService | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop or ShopService(uow, clock)
        self._connect = connect
        self.profile = profile
        self.station = station
        self._lock = lock
        self.enabled = enabled
        self._device = threading.Lock()  # one conversation with the printer at a time
        self._state = threading.Lock()  # guards the fields below
        self._condition: PrinterCondition = "unchecked" if enabled else "off"
        self._message = "Not checked yet" if enabled else "No receipt printer is set up"

    # ----------------------------------------------------------------- state
    @property
    def status(self) -> PrinterState:
        """The printer's last known state and this station's job counts (reads the database)."""
        pending, unprinted = self._counts()
        with self._state:
            condition, message = self._condition, self._message
        return PrinterState(condition, message, pending, unprinted)

    def _counts(self) -> tuple[int, int]:
        with self._uow.read() as session:
            rows = session.execute(
                select(PrintJob.state, func.count())
                .where(
                    PrintJob.station == self.station,
                    PrintJob.state.in_((PrintJobState.QUEUED.value, PrintJobState.FAILED.value)),
                )
                .group_by(PrintJob.state)
            ).all()
        counts = {state: int(count) for state, count in rows}
        return counts.get(PrintJobState.QUEUED.value, 0), counts.get(PrintJobState.FAILED.value, 0)

    def _set(self, condition: PrinterCondition, message: str) -> None:
        with self._state:
            self._condition, self._message = condition, message

    def unprinted(self) -> list[UnprintedReceipt]:
        """This station's receipts that may not have printed, oldest first."""
        with self._uow.read() as session:
            rows = session.execute(
                select(PrintJob.id, Sale.receipt_number, PrintJob.created_at, PrintJob.last_error)
                .join(Sale, Sale.id == PrintJob.sale_id)
                .where(
                    PrintJob.station == self.station,
                    PrintJob.state == PrintJobState.FAILED.value,
                )
                .order_by(PrintJob.id)
            ).all()
        return [
            UnprintedReceipt(job_id, number, created_at, reason or INTERRUPTED)
            for job_id, number, created_at, reason in rows
        ]

    def job_state(self, job_id: int) -> str | None:
        with self._uow.read() as session:
            return session.scalar(select(PrintJob.state).where(PrintJob.id == job_id))

    # ----------------------------------------------------------------- jobs
    def print_again(self, job_id: int) -> bool:
        """Queue a receipt that may not have printed once more; False if it is not unprinted."""
        with self._uow.write() as session:
            changed = session.execute(
                update(PrintJob)
                .where(
                    PrintJob.id == job_id,
                    PrintJob.station == self.station,
                    PrintJob.state == PrintJobState.FAILED.value,
                )
                .values(state=PrintJobState.QUEUED.value)
                .returning(PrintJob.id)
            ).scalar_one_or_none()
        return changed is not None

    def flush(self) -> PrintRun:
        """Print this station's queued jobs, oldest first; stop at the first printer problem.

        With nothing queued it still asks the printer how it is, so the status bar is true.
        """
        outcomes: dict[int, str] = {}
        if not self.enabled:
            return PrintRun(self.status, outcomes)
        with self._device:
            if not self._own():
                return PrintRun(self.status, outcomes)
            connection: PrinterConnection | None = None
            tried = False
            try:
                while (job_id := self._next_queued()) is not None:
                    tried = True
                    # Rendered before the claim, so the 'sending' window (a crash in it
                    # lists the receipt as "may not have printed") is as short as can be.
                    data = self._render(job_id)
                    if data is None:
                        outcomes[job_id] = PrintJobState.FAILED.value
                        continue
                    if not self._claim(job_id):
                        continue  # taken by another process meanwhile
                    if connection is None:
                        connection = self._connect_or_release(job_id)
                    try:
                        delivery = connection.send(data)
                    except PrinterUnavailable as exc:
                        outcomes[job_id] = self._after_failure(job_id, exc)
                        raise
                    self._finish(job_id, delivery)
                    outcomes[job_id] = delivery
                    self._note_delivery(delivery)
                if not tried:
                    connection = self._connect()
                    if connection.check() == "printed":
                        self._set("ready", "Printer ready")
                    else:  # reached, nothing sent: not "receipts sent" before there were any
                        self._set("reachable", _REACHABLE)
            except PrinterUnavailable as exc:
                self._set(_condition_of(exc), str(exc))
        return PrintRun(self.status, outcomes)

    def check(self) -> PrinterState:
        """Ask the printer how it is (prints nothing)."""
        return self.flush().status

    def open_drawer(self) -> DrawerResult:
        """Kick the cash drawer now, on its own; never queued for later."""
        if not self.enabled:
            return DrawerResult(False, "no receipt printer is set up")
        with self._device:
            try:
                self._connect().send(render_drawer_kick(), needs_paper=False)
            except PrinterUnavailable as exc:
                if exc.delivered:
                    return DrawerResult(False, "the printer did not confirm the kick")
                return DrawerResult(False, _lower_first(str(exc)))
        return DrawerResult(True)

    def reconfigure(
        self, connect: Callable[[], PrinterConnection], profile: PrinterProfile, *, enabled: bool
    ) -> None:
        """Print from now on with `connect` and `profile` (new settings, no restart): waits for
        a receipt being sent to finish; the next one goes to the new printer."""
        with self._device:
            self._connect, self.profile, self.enabled = connect, profile, enabled
            if enabled:
                self._set("unchecked", "Not checked yet")
            else:
                self._set("off", "No receipt printer is set up")

    def close(self) -> None:
        """Stop being this station's printer owner (at quit; the process ending does too)."""
        with self._device:
            self._lock.release()

    # ----------------------------------------------------------------- internals
    def _own(self) -> bool:
        """Hold the station's printer lock and set aside jobs cut off while being sent.

        Called with the device lock held: no job of this station is being sent now, so one
        still 'sending' was interrupted (a crash, or a database error after sending).
        """
        if not self._lock.held and not self._lock.try_acquire():
            self._set("not_owner", _NOT_OWNER)
            return False
        with self._uow.write() as session:
            session.execute(
                update(PrintJob)
                .where(
                    PrintJob.station == self.station,
                    PrintJob.state == PrintJobState.SENDING.value,
                )
                .values(state=PrintJobState.FAILED.value, last_error=INTERRUPTED)
            )
        self._adopt_legacy_spool()
        with self._state:
            if self._condition == "not_owner":
                self._condition, self._message = "unchecked", "Not checked yet"
        return True

    def _adopt_legacy_spool(self) -> None:
        """Receipts an older FrontDesk left waiting in its spool folder (where the lock now
        lives) become this station's print jobs, once; its drawer kicks are dropped."""
        for job in legacy_jobs(self._lock.path.parent):
            if job.receipt_number is not None:
                with self._uow.write() as session:
                    sale_id = session.scalar(
                        select(Sale.id).where(Sale.receipt_number == job.receipt_number)
                    )
                    adopted = session.scalar(
                        select(PrintJob.id).where(
                            PrintJob.sale_id == sale_id,
                            PrintJob.kind == PrintJobKind.RECEIPT.value,
                        )
                    )
                    if sale_id is not None and adopted is None:
                        add_print_job(
                            session,
                            sale_id=sale_id,
                            kind=PrintJobKind.RECEIPT,
                            station=self.station,
                            now=self._clock.now(),
                        )
            set_aside(job)

    def _next_queued(self) -> int | None:
        """The oldest job waiting at this station."""
        with self._uow.read() as session:
            return session.scalar(
                select(PrintJob.id)
                .where(
                    PrintJob.station == self.station,
                    PrintJob.state == PrintJobState.QUEUED.value,
                )
                .order_by(PrintJob.id)
                .limit(1)
            )

    def _claim(self, job_id: int) -> bool:
        """Mark the job 'sending' and commit, unless another process claimed it first."""
        with self._uow.write() as session:
            claimed = session.execute(
                update(PrintJob)
                .where(PrintJob.id == job_id, PrintJob.state == PrintJobState.QUEUED.value)
                .values(state=PrintJobState.SENDING.value, attempts=PrintJob.attempts + 1)
                .returning(PrintJob.id)
            ).scalar_one_or_none()
        return claimed is not None

    def _connect_or_release(self, job_id: int) -> PrinterConnection:
        try:
            return self._connect()
        except PrinterUnavailable as exc:
            self._after_failure(job_id, exc)
            raise

    def _render(self, job_id: int) -> bytes | None:
        """The job's bytes, rendered from the stored sale; a queued receipt never kicks."""
        try:
            with self._uow.read() as session:
                job = session.get(PrintJob, job_id)
                sale = session.get(Sale, job.sale_id) if job else None
                if sale is None:
                    raise LookupError("sale not found")
                cashier = sale.cashier.display_name if sale.cashier else ""
                receipt = build_receipt(sale, self._shop.info(), cashier)
                copy = job is not None and job.kind == PrintJobKind.REPRINT.value
            return render_receipt(replace(receipt, open_drawer=False, copy=copy), self.profile)
        except Exception:  # a receipt that cannot be rendered must not block the others
            _log.exception("Print job %s could not be rendered", job_id)
            self._mark(job_id, PrintJobState.FAILED, RENDER_FAILED)
            return None

    def _after_failure(self, job_id: int, exc: PrinterUnavailable) -> str:
        if exc.delivered:  # the bytes went out: it may be on paper, so never send it again
            self._mark(job_id, PrintJobState.FAILED, NO_CONFIRMATION)
            return PrintJobState.FAILED.value
        self._mark(job_id, PrintJobState.QUEUED, exc.code)
        return PrintJobState.QUEUED.value

    def _finish(self, job_id: int, delivery: str) -> None:
        state = PrintJobState.PRINTED if delivery == "printed" else PrintJobState.SENT
        with self._uow.write() as session:
            session.execute(
                update(PrintJob)
                .where(PrintJob.id == job_id)
                .values(state=state.value, last_error=None, printed_at=self._clock.now())
            )

    def _mark(self, job_id: int, state: PrintJobState, error: str | None) -> None:
        with self._uow.write() as session:
            session.execute(
                update(PrintJob)
                .where(PrintJob.id == job_id)
                .values(state=state.value, last_error=error)
            )

    def _note_delivery(self, delivery: str) -> None:
        if delivery == "printed":
            self._set("ready", "Printer ready")
        else:
            self._set("sent", "Receipts are sent; this printer cannot say whether they printed")


_REACHABLE = "The printer was reached; it cannot say whether it has paper or is ready"
_NOT_OWNER = "Another FrontDesk on this computer prints this station's receipts"


def _condition_of(exc: PrinterUnavailable) -> PrinterCondition:
    if exc.code in ("paper_out", "cover_open", "not_responding"):
        return exc.code
    if exc.code == "not_set_up":
        return "off"
    return "offline"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
