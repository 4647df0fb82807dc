"""One line telling apart clients with the same name in a short list (the duplicates offered by
quick add, the merge dialog's results): phone, card and the last visit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from frontdesk.domain.formats import Formats
from frontdesk.services.clients import ClientSummary


def summary_line(client: ClientSummary, formats: Formats) -> str:
    """'王红梅  138 0013 8000 · FD-1 · last visit 3 Nov 2026' in the window's language."""
    last_visit = (
        QCoreApplication.translate("ClientSummary", "last visit {date}").format(
            date=formats.short_date(formats.local(client.last_visit).date())
        )
        if client.last_visit is not None
        else QCoreApplication.translate("ClientSummary", "no visits yet")
    )
    details = " · ".join(part for part in (client.phone, client.card_number, last_visit) if part)
    return f"{client.name}  {details}"
