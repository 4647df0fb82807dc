"""Command line: `frontdesk` opens the app; `demo`, `report eod`, `db upgrade` work headless."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from db.errors import DatabaseProblem
from frontdesk.cli_language import speak, speak_for, translate
from frontdesk.domain.errors import DomainError
from frontdesk.settings import (
    Settings,
    configure_logging,
    describe_settings,
    load_settings,
    shown_value,
)

log = logging.getLogger("frontdesk")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            translate("cli", "“{text}” is not a date (use YYYY-MM-DD)").format(text=text)
        ) from None


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(
            translate("cli", "“{text}” is not a whole number").format(text=text)
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(translate("cli", "must be at least 1"))
    return value


def _db_help() -> str:
    return translate(
        "cli",
        "database URL or SQLite file (default: $FRONTDESK_DATABASE_URL, then frontdesk.sqlite3 "
        "in the user data folder); may be given before or after the command",
    )


def _postgres_backups() -> str:
    return translate(
        "cli",
        "FrontDesk backs up SQLite files only. For PostgreSQL use the server's own tools: "
        "`pg_dump --format=custom --file=frontdesk.dump DBNAME` to back up and "
        "`pg_restore --clean --if-exists --dbname=DBNAME frontdesk.dump` to restore "
        "(see the README).",
    )


def _add_db_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """--db on the main parser and on every subcommand, meaning the same in either place.

    A subcommand's copy defaults to SUPPRESS, so when it is not given there it leaves the main
    parser's value alone instead of overwriting it with a default.
    """
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None if top else argparse.SUPPRESS,
        help=_db_help(),
    )


class _HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        if prefix is None:
            prefix = translate("argparse", "usage: ")
        super().add_usage(usage, actions, groups, prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with its own words (usage, options, help) in the chosen language too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["add_help"] = False  # our own -h, with its help in the chosen language
        super().__init__(*args, **kwargs)
        self._positionals.title = translate("argparse", "positional arguments")
        self._optionals.title = translate("argparse", "options")
        self.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help=translate("argparse", "show this help message and exit"),
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="frontdesk",
        description=translate(
            "cli", "Front desk and point of sale for spas, salons and bathhouses."
        ),
    )
    _add_db_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(
        parent: argparse._SubParsersAction[_Parser],
        name: str,
        help_text: str,
        description: str,
    ) -> _Parser:
        child = parent.add_parser(name, help=help_text, description=description)
        _add_db_option(child)
        return child

    command(
        sub,
        "gui",
        translate("cli", "open the front desk window (the default)"),
        translate("cli", "Open the front desk window."),
    )

    demo = command(
        sub,
        "demo",
        translate("cli", "build a demo spa database"),
        translate("cli", "Build a realistic, deterministic demo spa database."),
    )
    demo.add_argument(
        "--customers",
        type=_positive,
        default=3000,
        help=translate("cli", "number of clients (default 3000; 1000000 works for benchmarks)"),
    )
    demo.add_argument(
        "--locale",
        choices=("en", "zh", "ru"),
        default="en",
        help=translate("cli", "language of names and texts (default en)"),
    )
    demo.add_argument(
        "--seed", type=int, default=7, help=translate("cli", "random seed (default 7)")
    )
    demo.add_argument(
        "--force",
        action="store_true",
        help=translate("cli", "replace an existing SQLite file at --db"),
    )

    report = command(
        sub,
        "report",
        translate("cli", "write reports"),
        translate("cli", "Write reports as PDF files."),
    )
    report_sub = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    eod = command(
        report_sub,
        "eod",
        translate("cli", "end-of-day PDF"),
        translate(
            "cli",
            "Write the end-of-day report of one day as a PDF. Writing today's report also takes "
            "an automatic backup of the day so far.",
        ),
    )
    eod.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        help=translate("cli", "shop-local day as YYYY-MM-DD (default: today)"),
    )
    eod.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.pdf",
        help=translate("cli", "where to write the PDF"),
    )
    eod.add_argument(
        "--force",
        action="store_true",
        help=translate("cli", "replace --out even if it is not a PDF file"),
    )

    dbp = command(
        sub,
        "db",
        translate("cli", "database maintenance"),
        translate("cli", "Database maintenance."),
    )
    db_sub = dbp.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    command(
        db_sub,
        "init",
        translate("cli", "create a new, empty shop database"),
        translate(
            "cli",
            "Create a new database at --db with this program's schema (the only way, besides the "
            "first run on the default location, that FrontDesk creates a database file).",
        ),
    )
    command(
        db_sub,
        "upgrade",
        translate("cli", "migrate the database to this version"),
        translate("cli", "Upgrade an existing database: migrate it to this program's schema."),
    )

    backup = command(
        sub,
        "backup",
        translate("cli", "back up the database"),
        translate(
            "cli",
            "Copy the SQLite database with SQLite's online backup API (safe while the shop is "
            "working), by default into the backups folder with a timestamped name.",
        ),
    )
    backup.add_argument(
        "--out", type=Path, metavar="FILE", help=translate("cli", "where to write the backup")
    )
    restore = command(
        sub,
        "restore",
        translate("cli", "replace the database with a backup"),
        translate(
            "cli", "Check a backup, back up the current database, then copy the backup into it."
        ),
    )
    restore.add_argument(
        "file", type=Path, metavar="FILE", help=translate("cli", "the backup to restore")
    )

    receipt = command(
        sub,
        "receipt",
        translate("cli", "receipts of stored sales"),
        translate("cli", "Receipts of stored sales."),
    )
    receipt_sub = receipt.add_subparsers(dest="receipt_command", metavar="ACTION", required=True)
    reprint = command(
        receipt_sub,
        "reprint",
        translate("cli", "print a copy of a stored receipt"),
        translate(
            "cli",
            "Send a copy of a stored receipt, marked COPY in the shop's language, to the receipt "
            "printer in the settings (a file printer writes the bytes to its file). The copy never "
            "opens the cash drawer, and the reprint is written to the audit log. Exit codes: "
            "0 printed, 1 no such receipt, 3 no printer or the printer is unavailable.",
        ),
    )
    reprint.add_argument(
        "number", metavar="NUMBER", help=translate("cli", "receipt number, e.g. R-000123 or 123")
    )

    catalogue = command(
        sub,
        "catalogue",
        translate("cli", "import or export the price list"),
        translate("cli", "Import or export the price list of services and products as CSV."),
    )
    catalogue_sub = catalogue.add_subparsers(
        dest="catalogue_command", metavar="ACTION", required=True
    )
    imports = command(
        catalogue_sub,
        "import",
        translate("cli", "add and update services and products from a CSV file"),
        translate(
            "cli",
            "Read a price list of services and products from a CSV file (UTF-8, GB18030 or "
            "Windows-1251) and add or update them, all or nothing: services are matched by "
            "category and name, products by SKU, so importing again updates instead of "
            "duplicating. Exit codes: 0 imported (or, with --dry-run, nothing wrong), "
            "1 the file or a row has errors (nothing is saved), 2 wrong arguments.",
        ),
    )
    imports.add_argument(
        "file", type=Path, metavar="FILE.csv", help=translate("cli", "the price list to read")
    )
    imports.add_argument(
        "--encoding",
        choices=("auto", "utf-8", "gb18030", "cp1251"),
        default="auto",
        help=translate("cli", "the file's text encoding (default: detected)"),
    )
    imports.add_argument(
        "--dry-run",
        action="store_true",
        help=translate("cli", "check the file and say what would change, saving nothing"),
    )
    exports = command(
        catalogue_sub,
        "export",
        translate("cli", "write the services and products to a CSV file"),
        translate(
            "cli",
            "Write every active service (at today's price) and product to a CSV file in UTF-8 "
            "that spreadsheets open directly and that `frontdesk catalogue import` reads back.",
        ),
    )
    exports.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.csv",
        help=translate("cli", "where to write the price list"),
    )
    exports.add_argument(
        "--force", action="store_true", help=translate("cli", "replace --out if it exists")
    )

    clients = command(
        sub,
        "clients",
        translate("cli", "import, export or erase clients"),
        translate(
            "cli",
            "Move clients in and out: import them from another system's CSV file, export them "
            "all as CSV, write one client's data as JSON (their right of access), or erase a "
            "client (personal data removed, sales kept under a pseudonym).",
        ),
    )
    clients_sub = clients.add_subparsers(dest="clients_command", metavar="ACTION", required=True)
    client_imports = command(
        clients_sub,
        "import",
        translate("cli", "add and update clients from a CSV file"),
        translate(
            "cli",
            "Read clients (names, phones, e-mails, birthdays, card numbers, past visits, "
            "allergies, preferences, notes) from a CSV file in UTF-8, GB18030 or Windows-1251 "
            "and add or update them, all or nothing: a client is matched by card number, then "
            "phone, then e-mail, so importing again updates instead of duplicating. Exit codes: "
            "0 imported (or, with --dry-run, nothing wrong), 1 the file or a row has errors "
            "(nothing is saved), 2 wrong arguments.",
        ),
    )
    client_imports.add_argument(
        "file", type=Path, metavar="FILE.csv", help=translate("cli", "the client list to read")
    )
    client_imports.add_argument(
        "--encoding",
        choices=("auto", "utf-8", "gb18030", "cp1251"),
        default="auto",
        help=translate("cli", "the file's text encoding (default: detected)"),
    )
    client_imports.add_argument(
        "--dry-run",
        action="store_true",
        help=translate("cli", "check the file and say what would change, saving nothing"),
    )
    client_exports = command(
        clients_sub,
        "export",
        translate("cli", "write every client to a CSV file"),
        translate(
            "cli",
            "Write every client to a CSV file in UTF-8 that spreadsheets open directly and "
            "that `frontdesk clients import` reads back. Health data is not written.",
        ),
    )
    export_one = command(
        clients_sub,
        "export-one",
        translate("cli", "write all of one client's data to a JSON file"),
        translate(
            "cli",
            "Write everything kept about one client (contact, consents, preferences, health "
            "data, treatment notes, visits, sales, points) to a JSON file: the client's right "
            "of access. CLIENT is a card number or a client number.",
        ),
    )
    export_one.add_argument(
        "client", metavar="CLIENT", help=translate("cli", "card number or client number")
    )
    for exporting, what in (
        (client_exports, translate("cli", "where to write the clients")),
        (export_one, translate("cli", "where to write the client's data")),
    ):
        exporting.add_argument(
            "--out",
            type=Path,
            required=True,
            metavar="FILE.json" if exporting is export_one else "FILE.csv",
            help=what,
        )
        exporting.add_argument(
            "--force", action="store_true", help=translate("cli", "replace --out if it exists")
        )
    erase = command(
        clients_sub,
        "erase",
        translate("cli", "erase a client's personal data"),
        translate(
            "cli",
            "Erase a client at their request: name, phone, e-mail, birthday, card, photo, "
            "preferences, tags, health data and notes are removed; sales and visits stay "
            "under a pseudonym. Cannot be undone. CLIENT is a card number or a client number.",
        ),
    )
    erase.add_argument(
        "client", metavar="CLIENT", help=translate("cli", "card number or client number")
    )
    erase.add_argument(
        "--yes", action="store_true", help=translate("cli", "erase without asking to confirm")
    )

    key = command(
        sub,
        "key",
        translate("cli", "export or restore the health data key"),
        translate(
            "cli",
            "Export the key that seals this shop's health data (allergies, patch tests, "
            "treatment notes) to keep it safe, or restore it on another computer. Owner's "
            "work: whoever holds the key can read the health data in a copy of the database.",
        ),
    )
    key_sub = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    key_export = command(
        key_sub,
        "export",
        translate("cli", "write the health data key to a file (and a PDF to print)"),
        translate(
            "cli",
            "Write the health data key as text to FILE (readable by its owner only) and, with "
            "--pdf, as a one-page PDF with a QR code to print and lock away.",
        ),
    )
    key_export.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help=translate("cli", "the key file")
    )
    key_export.add_argument(
        "--pdf", type=Path, metavar="FILE.pdf", help=translate("cli", "also write a page to print")
    )
    key_export.add_argument(
        "--force", action="store_true", help=translate("cli", "replace files that exist")
    )
    key_import = command(
        key_sub,
        "import",
        translate("cli", "restore the health data key from a file"),
        translate(
            "cli",
            "Restore the health data key from FILE (a key file, or the text typed from the "
            "printed page; - reads it from the keyboard). Refused if the key does not open "
            "this database's health data. Exit codes: 0 restored, 1 refused.",
        ),
    )
    key_import.add_argument(
        "file", metavar="FILE", help=translate("cli", "the key file, or - to type the key")
    )

    command(
        sub,
        "settings",
        translate("cli", "list every setting with its value"),
        translate("cli", "List every setting, its current value and what it does."),
    )
    return parser


def _receipt_reprint(args: argparse.Namespace, settings: Settings) -> int:
    from frontdesk.bootstrap import open_database
    from frontdesk.services.auth import COMMAND_LINE
    from frontdesk.services.devices import printer_config, printer_profile
    from frontdesk.services.receipts import ReceiptService
    from printing.connections import PrinterUnavailable, open_connection
    from printing.escpos_layout import render_receipt
    from printing.receipt import Receipt

    if settings.printer_kind == "none":
        message = translate(
            "cli",
            "No receipt printer is set up (set printer_kind in the settings file); "
            "the receipt was not reprinted.",
        )
        print(f"frontdesk: {message}", file=sys.stderr)
        return 3
    profile = printer_profile(settings)
    try:
        connection = open_connection(printer_config(settings))
    except PrinterUnavailable as exc:
        return _not_reprinted(exc)

    def send(receipt: Receipt) -> None:
        connection.send(render_receipt(receipt, profile))

    receipts = ReceiptService(open_database(settings.database_url or None, settings=settings))
    try:
        copy = receipts.reprint(args.number, COMMAND_LINE, send)
    except PrinterUnavailable as exc:
        return _not_reprinted(exc)
    print(
        translate("cli", "Receipt {number} reprinted as a copy on {printer}.").format(
            number=copy.number, printer=connection.describe()
        )
    )
    return 0


def _not_reprinted(problem: Exception) -> int:
    message = translate("cli", "{problem}; the receipt was not reprinted.")
    print(f"frontdesk: {message.format(problem=problem)}", file=sys.stderr)
    return 3


def _refuse(message: str) -> int:
    print(f"frontdesk: {message}", file=sys.stderr)
    return 1


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from db.engine import make_engine, resolve_url, sqlite_path
    from frontdesk.demo import build_demo

    url = resolve_url(settings.database_url or None)
    path = sqlite_path(url)
    if path is not None and path.is_dir():
        return _refuse(
            translate("cli", "{path} is a folder; give the demo database a file name.").format(
                path=path
            )
        )
    if path is not None and path.exists():
        if not args.force:
            return _refuse(
                translate("cli", "{path} already exists; add --force to replace it.").format(
                    path=path
                )
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    last = [-1]

    def progress(stage: str, fraction: float) -> None:
        percent = int(fraction * 100)
        if percent // 10 != last[0] // 10 or fraction >= 1:
            print(f"  {percent:3d}%  {stage}", flush=True)
            last[0] = percent

    engine = make_engine(url, create=True)
    try:
        summary = build_demo(
            engine,
            customers=args.customers,
            locale=args.locale,
            seed=args.seed,
            progress=progress,
        )
    finally:
        engine.dispose()
    print(
        translate(
            "cli",
            "Demo spa ready in {seconds} s: {clients} clients, {staff} staff, "
            "{appointments} appointments, {sales} sales -> {database}",
        ).format(
            seconds=f"{summary.seconds:.1f}",
            clients=f"{summary.customers:,}",
            staff=summary.staff,
            appointments=f"{summary.appointments:,}",
            sales=f"{summary.sales:,}",
            database=url.render_as_string(hide_password=True),
        )
    )
    print(translate("cli", "Every demo staff member's PIN is {pin}.").format(pin="1234"))
    return 0


PDF_MAGIC = b"%PDF-"


def _out_problem(out: Path, force: bool) -> str | None:
    """Why the report cannot be written at `out`, in plain words, or None."""
    if out.is_dir():
        return translate(
            "cli", "{out} is a folder; give the report a file name, e.g. {example}"
        ).format(out=out, example=out / "end-of-day.pdf")
    parent = out.parent
    if parent.exists() and not parent.is_dir():
        return translate("cli", "cannot write {out}: {folder} is a file, not a folder.").format(
            out=out, folder=parent
        )
    if not parent.exists():
        return translate("cli", "cannot write {out}: the folder {folder} does not exist.").format(
            out=out, folder=parent
        )
    if out.exists() and not force:
        try:
            with out.open("rb") as file:
                magic = file.read(len(PDF_MAGIC))
        except OSError as exc:
            return _cannot_write(out, exc)
        if magic != PDF_MAGIC:
            return translate(
                "cli", "{out} exists and is not a PDF; add --force to replace it."
            ).format(out=out)
    return None


def _cannot_write(out: Path, exc: OSError) -> str:
    return translate("cli", "cannot write {out}: {reason}.").format(
        out=out, reason=exc.strerror or exc
    )


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from db.engine import close_engine
    from frontdesk.bootstrap import backup_service, open_database
    from frontdesk.services.auth import COMMAND_LINE
    from frontdesk.services.clock import SystemClock
    from frontdesk.services.reports import ReportService
    from frontdesk.services.shop import ShopService

    out: Path = args.out
    problem = _out_problem(out, args.force)
    if problem is not None:
        return _refuse(problem)
    database = open_database(settings.database_url or None, settings=settings)
    try:
        clock = SystemClock()
        shop = ShopService(database, clock)
        reports = ReportService(database, clock, shop, backups=backup_service(settings, database))
        day = args.date or shop.today()
        try:
            reports.write_day_report(day, out, COMMAND_LINE)
        except OSError as exc:
            return _refuse(_cannot_write(out, exc))
        print(
            translate("cli", "End-of-day report for {day} written to {out}").format(
                day=day.isoformat(), out=out
            )
        )
        closed = reports.close_day_if_today(day)
        if closed is not None and closed.backup is not None:
            print(
                translate("cli", "Backup of the day so far saved to {file}").format(
                    file=closed.backup
                )
            )
        elif closed is not None:
            failed = translate("cli", "the backup of the day so far failed: {problem}")
            from frontdesk.ui.error_text import error_text

            problem = error_text(closed.problem) if closed.problem else ""
            print(f"frontdesk: {failed.format(problem=problem)}", file=sys.stderr)
    finally:
        close_engine(database.engine)
    return 0


def _db(args: argparse.Namespace, settings: Settings) -> int:
    return _db_init(settings) if args.db_command == "init" else _db_upgrade(settings)


def _db_init(settings: Settings) -> int:
    from db.engine import make_engine, resolve_url, sqlite_path
    from db.migrate import current_revision, upgrade_to_head

    url = resolve_url(settings.database_url or None)
    label = url.render_as_string(hide_password=True)
    path = sqlite_path(url)
    if path is not None and path.exists():
        return _refuse(
            translate(
                "cli", "{path} already exists; use `frontdesk db upgrade` to migrate it."
            ).format(path=path)
        )
    engine = make_engine(url, create=True)
    try:
        if path is None and current_revision(engine) is not None:
            return _refuse(
                translate("cli", "{database} already holds a FrontDesk database.").format(
                    database=label
                )
            )
        revision = upgrade_to_head(engine)
    finally:
        engine.dispose()
    print(
        translate("cli", "New FrontDesk database created at {database} (schema {schema}).").format(
            database=label, schema=revision
        )
    )
    return 0


def _db_upgrade(settings: Settings) -> int:
    from db.engine import close_engine, open_engine, resolve_url, sqlite_path
    from db.migrate import current_revision, upgrade_to_head

    url = resolve_url(settings.database_url or None)
    path = sqlite_path(url)
    backups = settings.resolved_backup_dir(path) if path is not None else None
    engine = open_engine(url, backup_dir=backups)
    try:
        before = current_revision(engine)
        after = upgrade_to_head(engine)
    finally:
        close_engine(engine)
    label = url.render_as_string(hide_password=True)
    if before == after:
        print(
            translate("cli", "{database} is up to date (schema {schema}).").format(
                database=label, schema=after
            )
        )
    elif before is None:
        print(
            translate(
                "cli", "{database} upgraded from an empty database to schema {after}."
            ).format(database=label, after=after)
        )
    else:
        print(
            translate("cli", "{database} upgraded from schema {before} to {after}.").format(
                database=label, before=before, after=after
            )
        )
    return 0


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    from db.backup import backup_database
    from db.engine import close_engine, open_engine, resolve_url, sqlite_path

    url = resolve_url(settings.database_url or None)
    path = sqlite_path(url)
    if path is None:
        return _refuse(_postgres_backups())
    folder = settings.resolved_backup_dir(path)
    close_engine(open_engine(url, create=False, backup_dir=folder))  # missing/damaged: refused
    copy = backup_database(path, folder=folder, out=args.out)
    print(translate("cli", "Backed up {database} to {copy}").format(database=path, copy=copy))
    return 0


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    from db.backup import restore_database
    from db.engine import (
        default_database_path,
        missing_database,
        resolve_url,
        sqlite_path,
    )
    from db.migrate import known_revisions

    url = resolve_url(settings.database_url or None)
    path = sqlite_path(url)
    if path is None:
        return _refuse(_postgres_backups())
    if path.is_dir():
        return _refuse(
            translate("cli", "{path} is a folder, not a database file.").format(path=path)
        )
    if not path.exists() and path != default_database_path():
        from frontdesk.ui.error_text import error_text

        return _refuse(error_text(missing_database(path)))
    folder = settings.resolved_backup_dir(path)
    backup: Path = args.file
    if backup.resolve() == path.resolve():
        return _refuse(
            translate("cli", "{backup} is the database itself; name a backup file.").format(
                backup=backup
            )
        )
    safety = restore_database(
        backup,
        path,
        folder=folder,
        known_revisions=known_revisions(),
        create=path == default_database_path(),
    )
    if safety is None:  # first run on this computer: there was no database to keep
        print(
            translate("cli", "Restored {backup} into {database}.").format(
                backup=backup, database=path
            )
        )
    else:
        print(
            translate(
                "cli",
                "Restored {backup} into {database}. The database as it was is saved in {saved}.",
            ).format(backup=backup, database=path, saved=safety)
        )
    return 0


def _key(args: argparse.Namespace, settings: Settings) -> int:
    from db.engine import close_engine
    from frontdesk.bootstrap import open_database
    from frontdesk.services.auth import COMMAND_LINE
    from frontdesk.services.clock import SystemClock
    from frontdesk.services.health_vault import HealthKeyService, open_vault

    if args.key_command == "export":
        for out in (args.out, args.pdf):
            if out is not None and out.exists() and not args.force:
                return _refuse(
                    translate("cli", "{out} already exists; add --force to replace it.").format(
                        out=out
                    )
                )
    else:
        try:
            text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("ascii")
        except (OSError, UnicodeDecodeError):
            return _refuse(
                translate("cli", "cannot read a key from {file}.").format(file=args.file)
            )
    database = open_database(settings.database_url or None, settings=settings)
    try:
        vault = open_vault(settings, database)
        keys = HealthKeyService(database, SystemClock(), vault)
        if args.key_command == "import":
            status = keys.restore(text, COMMAND_LINE)
            print(translate("cli", "Health data key restored: health data can be read here."))
            if status.where == "file":
                print(
                    translate(
                        "cli",
                        "No keyring on this computer: the key is kept in a file readable only "
                        "by this user.",
                    )
                )
            return 0
        try:
            keys.export_file(args.out, COMMAND_LINE)
            if args.pdf is not None:
                keys.export_pdf(args.pdf, COMMAND_LINE, _key_sheet_words(database))
        except OSError as exc:
            return _refuse(_cannot_write(Path(exc.filename or args.out), exc))
        print(translate("cli", "Health data key written to {out}").format(out=args.out))
        if args.pdf is not None:
            print(translate("cli", "Page to print written to {out}").format(out=args.pdf))
        print(
            translate(
                "cli",
                "Whoever holds this key can read the clients' health data in a copy of the "
                "database: keep it away from the backups.",
            )
        )
        return 0
    finally:
        close_engine(database.engine)


def _key_sheet_words(database: Any) -> Any:
    from frontdesk.services.clock import SystemClock
    from frontdesk.services.shop import ShopService
    from printing.key_sheet import KeySheetWords

    clock = SystemClock()
    shop = ShopService(database, clock).info()
    return KeySheetWords(
        title=translate("cli", "Health data key"),
        shop_line=translate("cli", "{shop} · written {day}").format(
            shop=shop.name, day=clock.now().date().isoformat()
        ),
        warning=translate(
            "cli",
            "Whoever holds this key can read the clients' health data in a copy of the "
            "database. Keep this page locked away, apart from the backups.",
        ),
        steps=(
            translate(
                "cli",
                "To restore on another computer: Back office, Health data key, Restore key, "
                "then paste or type the text below (spaces and line breaks do not matter).",
            ),
            translate(
                "cli",
                "Or on the command line: save the text in a file and run: "
                "frontdesk key import FILE",
            ),
        ),
    )


def _catalogue(args: argparse.Namespace, settings: Settings) -> int:
    from db.engine import close_engine
    from frontdesk.bootstrap import open_database
    from frontdesk.services.auth import COMMAND_LINE
    from frontdesk.services.clock import SystemClock
    from frontdesk.services.price_list import ImportRefused, PriceListService
    from frontdesk.services.shop import ShopService
    from frontdesk.ui.error_text import error_text

    if args.catalogue_command == "export":
        out: Path = args.out
        if out.is_dir():
            return _refuse(
                translate("cli", "{out} is a folder; give the price list a file name.").format(
                    out=out
                )
            )
        if out.exists() and not args.force:
            return _refuse(
                translate("cli", "{out} already exists; add --force to replace it.").format(out=out)
            )
    else:
        source: Path = args.file
        if not source.is_file():
            return _refuse(translate("cli", "{file} is not a file.").format(file=source))
    database = open_database(settings.database_url or None, settings=settings)
    try:
        clock = SystemClock()
        price_list = PriceListService(database, clock, ShopService(database, clock))
        if args.catalogue_command == "export":
            data = price_list.export(COMMAND_LINE)
            try:
                args.out.write_bytes(data)
            except OSError as exc:
                return _refuse(_cannot_write(args.out, exc))
            print(translate("cli", "Price list written to {out}").format(out=args.out))
            return 0
        data = args.file.read_bytes()
        category = translate("cli", "Services")
        preview = price_list.preview(
            data, COMMAND_LINE, encoding=args.encoding, default_category=category
        )
        if preview.errors:
            _print_row_errors(preview.errors, error_text)
            raise ImportRefused(preview.errors)
        if args.dry_run:
            print(
                translate(
                    "cli",
                    "The file reads without errors ({encoding}): {summary}. Nothing was saved "
                    "(--dry-run).",
                ).format(
                    encoding=_encoding_name(preview.encoding),
                    summary=_import_summary(
                        preview.services_new,
                        preview.services_updated,
                        preview.products_new,
                        preview.products_updated,
                        preview.unchanged,
                    ),
                )
            )
            return 0
        try:
            done = price_list.import_rows(
                data, COMMAND_LINE, encoding=args.encoding, default_category=category
            )
        except ImportRefused as refused:
            _print_row_errors(refused.errors, error_text)
            raise
        print(
            translate("cli", "Imported: {summary}.").format(
                summary=_import_summary(
                    done.services_added,
                    done.services_updated,
                    done.products_added,
                    done.products_updated,
                    done.unchanged,
                )
            )
        )
        return 0
    finally:
        close_engine(database.engine)


def _clients(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from db.engine import close_engine
    from frontdesk.bootstrap import open_database
    from frontdesk.services.auth import COMMAND_LINE
    from frontdesk.services.client_transfer import ClientTransferService, ImportRefused
    from frontdesk.services.clock import SystemClock
    from frontdesk.services.health_vault import open_vault
    from frontdesk.services.shop import ShopService
    from frontdesk.ui.error_text import error_text

    action = args.clients_command
    if action in ("export", "export-one"):
        out: Path = args.out
        if out.is_dir():
            return _refuse(
                translate("cli", "{out} is a folder; give the file a name.").format(out=out)
            )
        if out.exists() and not args.force:
            return _refuse(
                translate("cli", "{out} already exists; add --force to replace it.").format(out=out)
            )
    elif action == "import" and not args.file.is_file():
        return _refuse(translate("cli", "{file} is not a file.").format(file=args.file))
    database = open_database(settings.database_url or None, settings=settings)
    try:
        clock = SystemClock()
        transfer = ClientTransferService(
            database, clock, ShopService(database, clock), open_vault(settings, database)
        )
        if action == "export":
            data = transfer.export_csv(COMMAND_LINE)
            try:
                args.out.write_bytes(data)
            except OSError as exc:
                return _refuse(_cannot_write(args.out, exc))
            print(translate("cli", "Clients written to {out}").format(out=args.out))
            return 0
        if action == "export-one":
            customer_id = transfer.find_client(args.client, COMMAND_LINE)
            document = transfer.export_one(customer_id, COMMAND_LINE)
            try:
                args.out.write_text(
                    json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8"
                )
            except OSError as exc:
                return _refuse(_cannot_write(args.out, exc))
            print(translate("cli", "The client's data written to {out}").format(out=args.out))
            return 0
        if action == "erase":
            customer_id = transfer.find_client(args.client, COMMAND_LINE)
            if not args.yes:
                question = translate(
                    "cli", "Erase client {client}? This cannot be undone. Type yes to go on: "
                ).format(client=args.client)
                print(question, end="", flush=True)
                answer = sys.stdin.readline().strip().casefold()
                if answer not in ("yes", "y", translate("cli", "yes").casefold()):
                    return _refuse(translate("cli", "Nothing was erased."))
            transfer.erase(customer_id, COMMAND_LINE)
            print(translate("cli", "Client {client} erased.").format(client=args.client))
            return 0
        data = args.file.read_bytes()
        encoding = None if args.encoding == "auto" else args.encoding
        preview = transfer.preview_import(data, COMMAND_LINE, encoding=encoding)
        if preview.errors:
            _print_row_errors(preview.errors, error_text)
            raise ImportRefused(preview.errors)
        if args.dry_run:
            new, changed = preview.new, preview.updated
            print(
                translate(
                    "cli",
                    "The file reads without errors ({encoding}): {added}, {updated}. Nothing "
                    "was saved (--dry-run).",
                ).format(
                    encoding=_encoding_name(preview.encoding),
                    added=translate("cli", "%n client(s) to add", None, new),
                    updated=translate("cli", "%n client(s) to update", None, changed),
                )
            )
            return 0
        try:
            done = transfer.import_clients(data, None, COMMAND_LINE, encoding=encoding)
        except ImportRefused as refused:
            _print_row_errors(refused.errors, error_text)
            raise
        added, updated = done.added, done.updated
        print(
            translate("cli", "Imported ({encoding}): {added}, {updated}.").format(
                encoding=_encoding_name(done.encoding),
                added=translate("cli", "%n client(s) added", None, added),
                updated=translate("cli", "%n client(s) updated", None, updated),
            )
        )
        return 0
    finally:
        close_engine(database.engine)


def _encoding_name(encoding: str) -> str:
    from frontdesk.domain.price_list import encoding_name

    return encoding_name(encoding)


def _import_summary(
    services_added: int,
    services_updated: int,
    products_added: int,
    products_updated: int,
    unchanged: int,
) -> str:
    counts = (
        (translate("cli", "%n service(s) added", None, services_added), services_added),
        (translate("cli", "%n service(s) updated", None, services_updated), services_updated),
        (translate("cli", "%n product(s) added", None, products_added), products_added),
        (translate("cli", "%n product(s) updated", None, products_updated), products_updated),
        (translate("cli", "%n unchanged", None, unchanged), unchanged),
    )
    parts = [text for text, count in counts if count]
    return ", ".join(parts) if parts else translate("cli", "nothing to change")


def _print_row_errors(errors: Sequence[Any], error_text: Any) -> None:
    for problem in errors:
        if problem.line == 0:
            where = translate("cli", "The file")
        elif problem.column:
            where = translate("cli", "Line {line}, column “{column}”").format(
                line=problem.line, column=problem.column
            )
        else:
            where = translate("cli", "Line {line}").format(line=problem.line)
        print(f"{where}: {error_text(problem.error)}", file=sys.stderr)


def _settings(_args: argparse.Namespace, current: Settings) -> int:
    from frontdesk.services.devices import printer_profile
    from frontdesk.services.receipts import existing_shop, printer_warnings

    for name, default, help_text in describe_settings():
        # The help lines are collected into the .ts by tools/translations.py (context "settings").
        help_text = translate("settings", help_text)  # noqa: PLW2901
        default_is = translate("cli", "(default {value})").format(value=default)
        print(f"{name:22} = {shown_value(current, name):24} {help_text} {default_is}")
    shop = existing_shop(current.database_url or None) if current.printer_kind != "none" else None
    from frontdesk.ui.error_text import error_text

    for warning in printer_warnings(printer_profile(current), shop):
        print(translate("cli", "Warning: {warning}").format(warning=error_text(warning)))
    return 0


def _gui(args: argparse.Namespace, _settings: Settings | None) -> int:
    from frontdesk.ui.app import run_app

    return run_app(args.db)


def _speak_for_help(argv: Sequence[str]) -> None:
    """--help is written before the command runs: speak the setting's or the shop's language
    for it already (a settings problem is left for the command to report)."""
    database = None
    for number, arg in enumerate(argv):
        if arg == "--db" and number + 1 < len(argv):
            database = argv[number + 1]
        elif arg.startswith("--db="):
            database = arg.removeprefix("--db=")
    try:
        speak_for(load_settings(database_url=database))
    except (DomainError, DatabaseProblem, OSError):
        speak("en")


def _plain_gui(argv: Sequence[str]) -> argparse.Namespace | None:
    """`frontdesk`, `frontdesk gui`, each with or without `--db URL`: the window, parsed
    without building every subcommand's parser (a noticeable slice of the first window's
    time). Anything else, or anything unusual, goes through the full parser."""
    args = argparse.Namespace(db=None, command=None)
    words = list(argv)
    while words:
        word = words.pop(0)
        if word == "gui" and args.command is None:
            args.command = "gui"
        elif word == "--db" and words and not words[0].startswith("-"):
            args.db = words.pop(0)
        elif word.startswith("--db=") and len(word) > len("--db="):
            args.db = word[len("--db=") :]
        else:
            return None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    speak("en")  # until the settings and the shop say otherwise
    words = list(sys.argv[1:] if argv is None else argv)
    if "-h" in words or "--help" in words:
        _speak_for_help(words)
    args = _plain_gui(words) or build_parser().parse_args(words)
    command = args.command or "gui"
    if command == "gui":  # the window reports settings problems itself, in a dialog
        return _gui(args, None)
    handlers = {
        "demo": _demo,
        "report": _report,
        "settings": _settings,
        "db": _db,
        "backup": _backup,
        "restore": _restore,
        "receipt": _receipt_reprint,
        "catalogue": _catalogue,
        "clients": _clients,
        "key": _key,
    }
    try:
        settings = load_settings(database_url=args.db)
        configure_logging(settings)
        speak_for(settings)
        return handlers[command](args, settings)
    except (DatabaseProblem, DomainError) as exc:
        from frontdesk.ui.error_text import error_text

        print(f"frontdesk: {error_text(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:  # the disk, a folder or a file said no: say what and where
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"frontdesk: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        interrupted = translate("cli", "interrupted")
        print(f"frontdesk: {interrupted}", file=sys.stderr)
        return 130
