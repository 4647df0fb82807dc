"""Receipts to the printer through a spool, so a printer that is off never loses a receipt."""

from __future__ import annotations

from printing.escpos_layout import PrinterProfile, render_drawer_kick, render_receipt
from printing.print_queue import PrintQueue, QueueStatus
from printing.receipt import Receipt


class ReceiptPrinter:
    """Queues receipts and drawer kicks; `flush` (run off the GUI thread) sends them."""

    def __init__(self, queue: PrintQueue, profile: PrinterProfile, enabled: bool = True) -> None:
        self.queue = queue
        self.profile = profile
        self.enabled = enabled

    def submit_receipt(self, receipt: Receipt) -> str | None:
        """Spool the receipt (durably) and return the job id; None when no printer is set up."""
        if not self.enabled:
            return None
        return self.queue.submit(f"Receipt {receipt.number}", render_receipt(receipt, self.profile))

    def submit_drawer_kick(self) -> str | None:
        if not self.enabled:
            return None
        return self.queue.submit("Open cash drawer", render_drawer_kick())

    def flush(self) -> QueueStatus:
        """Send everything waiting, oldest first; stops at the first failure."""
        return self.queue.flush()

    @property
    def status(self) -> QueueStatus:
        return self.queue.status
