"""Import and export of clients: the CSV import panel (frontdesk/ui/widgets/csv_import_panel.py)
with the clients' parts: the client fields a column can be read as, the client transfer service,
and what an import adds and updates. Owners and managers only (TRANSFER_CLIENTS).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from frontdesk.domain.client_file import ClientColumn
from frontdesk.domain.roles import Permission
from frontdesk.services.client_transfer import ImportPreview, ImportResult
from frontdesk.ui.desk import Desk
from frontdesk.ui.widgets.csv_import_panel import CsvNames, CsvPanelHost, CsvTexts

Columns = tuple[ClientColumn | None, ...]
NAMES = CsvNames(
    prefix="clientList", open="openClientList", export="exportClients", import_="importClients"
)


class ClientTransferDialog(CsvPanelHost, QDialog):
    """Import (with a column mapping preview and per-row errors) and export of clients."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle(self.tr("Import and export clients"))
        self.resize(860, 560)
        texts = CsvTexts(
            open_button=self.tr("Open a client list…"),
            open_tip=self.tr("Choose a CSV file of clients ({key})"),
            hint=self.tr(
                "Columns it reads: name (or first and last name), phone, e-mail, birthday, card "
                "number, past visits, marketing consent, health data consent, allergies, "
                "preferences (topic: value) and notes (kept as the card's free-text preference). "
                "A client already here (same card, phone or e-mail) is updated, not added twice. "
                "Allergies are kept only for clients whose health data consent says yes."
            ),
            export_button=self.tr("Export all clients…"),
            export_tip=self.tr("Write every client to a CSV file ({key})"),
            save_name=self.tr("clients.csv"),
            import_tip=self.tr("Add and update every client of the file, all or nothing ({key})"),
        )
        self.hold_panel(desk, NAMES, texts, Permission.TRANSFER_CLIENTS)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        self.panel.add_button(self.close_button)

    def column_label(self, column: ClientColumn) -> str:
        return {
            ClientColumn.NAME: self.tr("Full name"),
            ClientColumn.FIRST_NAME: self.tr("First name"),
            ClientColumn.LAST_NAME: self.tr("Last name"),
            ClientColumn.PHONE: self.tr("Phone"),
            ClientColumn.EMAIL: self.tr("E-mail"),
            ClientColumn.BIRTHDAY: self.tr("Birthday"),
            ClientColumn.CARD: self.tr("Card number"),
            ClientColumn.VISITS: self.tr("Past visits"),
            ClientColumn.MARKETING_CONSENT: self.tr("Marketing consent"),
            ClientColumn.HEALTH_CONSENT: self.tr("Health data consent"),
            ClientColumn.ALLERGIES: self.tr("Allergies"),
            ClientColumn.PREFERENCES: self.tr("Preferences"),
            ClientColumn.NOTES: self.tr("Notes (kept as the card's free-text preference)"),
        }[column]

    # -- the panel's parts (CsvScreen) ---------------------------------------------------------

    def column_choices(self) -> Sequence[tuple[ClientColumn, str]]:
        return [(field, self.column_label(field)) for field in ClientColumn]

    def preview_work(
        self, encoding: str, mapping: Columns | None
    ) -> Callable[[bytes], ImportPreview]:
        transfer, user = self.desk.services.client_transfer, self.desk.user
        return lambda data: transfer.preview_import(data, user, encoding=encoding, mapping=mapping)

    def import_work(self, encoding: str, mapping: Columns) -> Callable[[bytes], ImportResult]:
        transfer, user = self.desk.services.client_transfer, self.desk.user
        return lambda data: transfer.import_clients(data, mapping, user, encoding=encoding)

    def export_work(self) -> Callable[[], bytes]:
        services, user = self.desk.services, self.desk.user
        return lambda: services.client_transfer.export_csv(user)

    def preview_counts(self, preview: ImportPreview) -> Sequence[tuple[str, int]]:
        return (
            (self.tr("%n client(s) to add", "", preview.new), preview.new),
            (self.tr("%n client(s) to update", "", preview.updated), preview.updated),
        )

    def import_counts(self, result: ImportResult) -> Sequence[tuple[str, int]]:
        return (
            (self.tr("%n client(s) added", "", result.added), result.added),
            (self.tr("%n client(s) updated", "", result.updated), result.updated),
        )

    def exported_text(self, path: Path) -> str:
        return self.tr("Clients written to {file}.").format(file=path.name)
