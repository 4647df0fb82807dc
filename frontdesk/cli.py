"""Command line: `frontdesk` opens the app; `demo`, `report eod`, `db upgrade` work headless."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from db.errors import DatabaseProblem
from frontdesk.domain.errors import DomainError
from frontdesk.settings import Settings, configure_logging, describe_settings, load_settings

log = logging.getLogger("frontdesk")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date (use YYYY-MM-DD)") from None


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        help="database URL or SQLite file (default: $FRONTDESK_DATABASE_URL, "
        "then frontdesk.sqlite3 in the user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="frontdesk",
        description="Front desk and point of sale for spas, salons and bathhouses.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser(
        "gui",
        parents=[common],
        help="open the front desk window (the default)",
        description="Open the front desk window.",
    )

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="build a demo spa database",
        description="Build a realistic, deterministic demo spa database.",
    )
    demo.add_argument(
        "--customers",
        type=_positive,
        default=3000,
        help="number of clients (default 3000; 1000000 works for benchmarks)",
    )
    demo.add_argument(
        "--locale",
        choices=("en", "zh", "ru"),
        default="en",
        help="language of names and texts (default en)",
    )
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument(
        "--force", action="store_true", help="replace an existing SQLite file at --db"
    )

    report = sub.add_parser(
        "report", parents=[common], help="write reports", description="Write reports as PDF files."
    )
    report_sub = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    eod = report_sub.add_parser(
        "eod",
        parents=[common],
        help="end-of-day PDF",
        description="Write the end-of-day report of one day as a PDF.",
    )
    eod.add_argument(
        "--date", type=_iso_date, default=None, help="shop-local day as YYYY-MM-DD (default: today)"
    )
    eod.add_argument(
        "--out", type=Path, required=True, metavar="FILE.pdf", help="where to write the PDF"
    )

    dbp = sub.add_parser(
        "db", parents=[common], help="database maintenance", description="Database maintenance."
    )
    db_sub = dbp.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser(
        "upgrade",
        parents=[common],
        help="migrate the database to this version",
        description="Create or migrate the database to this program's schema.",
    )
    _add_receipt_parser(sub)
    sub.add_parser(
        "settings",
        parents=[common],
        help="list every setting with its value",
        description="List every setting, its current value and what it does.",
    )
    return parser


def _add_receipt_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # --db again on the subcommands, but SUPPRESSed: `frontdesk --db X receipt reprint N` and
    # `frontdesk receipt reprint N --db X` both mean X (a default here would overwrite it).
    db_again = argparse.ArgumentParser(add_help=False)
    db_again.add_argument(
        "--db", metavar="URL", default=argparse.SUPPRESS, help="database URL or SQLite file"
    )
    receipt = sub.add_parser(
        "receipt",
        parents=[db_again],
        help="receipts of stored sales",
        description="Receipts of stored sales.",
    )
    receipt_sub = receipt.add_subparsers(dest="receipt_command", metavar="ACTION", required=True)
    reprint = receipt_sub.add_parser(
        "reprint",
        parents=[db_again],
        help="print a copy of a stored receipt",
        description="Send a copy of a stored receipt, marked COPY in the shop's language, to "
        "the receipt printer in the settings (a file printer writes the bytes to its file). "
        "The copy never opens the cash drawer, and the reprint is written to the audit log. "
        "Exit codes: 0 printed, 1 no such receipt, 3 no printer or the printer is unavailable.",
    )
    reprint.add_argument("number", metavar="NUMBER", help="receipt number, e.g. R-000123 or 123")


def _receipt_reprint(args: argparse.Namespace, settings: Settings) -> int:
    from frontdesk.bootstrap import open_database, printer_config, printer_profile
    from frontdesk.services.auth import COMMAND_LINE
    from frontdesk.services.receipts import ReceiptService
    from printing.connections import PrinterUnavailable, open_connection
    from printing.escpos_layout import render_receipt
    from printing.receipt import Receipt

    if settings.printer_kind == "none":
        print(
            "frontdesk: No receipt printer is set up (set printer_kind in the settings file); "
            "the receipt was not reprinted.",
            file=sys.stderr,
        )
        return 3
    profile = printer_profile(settings)
    try:
        connection = open_connection(printer_config(settings))
    except PrinterUnavailable as exc:
        print(f"frontdesk: {exc}; the receipt was not reprinted.", file=sys.stderr)
        return 3

    def send(receipt: Receipt) -> None:
        connection.send(render_receipt(receipt, profile))

    receipts = ReceiptService(open_database(settings.database_url or None))
    try:
        copy = receipts.reprint(args.number, COMMAND_LINE, send)
    except PrinterUnavailable as exc:
        print(f"frontdesk: {exc}; the receipt was not reprinted.", file=sys.stderr)
        return 3
    print(f"Receipt {copy.number} reprinted as a copy on {connection.describe()}.")
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from db.demo import build_demo
    from db.engine import make_engine, resolve_url, sqlite_path

    url = resolve_url(settings.database_url or None)
    path = sqlite_path(url)
    if path is not None and path.exists():
        if not args.force:
            print(f"frontdesk: {path} already exists; add --force to replace it.", file=sys.stderr)
            return 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    last = [-1]

    def progress(stage: str, fraction: float) -> None:
        percent = int(fraction * 100)
        if percent // 10 != last[0] // 10 or fraction >= 1:
            print(f"  {percent:3d}%  {stage}", flush=True)
            last[0] = percent

    summary = build_demo(
        make_engine(url),
        customers=args.customers,
        locale=args.locale,
        seed=args.seed,
        progress=progress,
    )
    print(
        f"Demo spa ready in {summary.seconds:.1f} s: {summary.customers:,} clients, "
        f"{summary.staff} staff, {summary.appointments:,} appointments, {summary.sales:,} sales "
        f"-> {url.render_as_string(hide_password=True)}"
    )
    print("Every demo staff member's PIN is 1234.")
    return 0


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from frontdesk.bootstrap import open_database
    from frontdesk.services.auth import COMMAND_LINE
    from frontdesk.services.clock import SystemClock
    from frontdesk.services.reports import ReportService

    database = open_database(settings.database_url or None)
    reports = ReportService(database, SystemClock())
    day = args.date or reports.today()
    out: Path = args.out
    if out.parent and not out.parent.exists():
        print(f"frontdesk: the folder {out.parent} does not exist.", file=sys.stderr)
        return 1
    reports.write_day_report(day, out, COMMAND_LINE)
    print(f"End-of-day report for {day.isoformat()} written to {out}")
    return 0


def _db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    from db.engine import make_engine, resolve_url
    from db.migrate import current_revision, upgrade_to_head

    url = resolve_url(settings.database_url or None)
    engine = make_engine(url)
    before = current_revision(engine)
    after = upgrade_to_head(engine)
    label = url.render_as_string(hide_password=True)
    if before == after:
        print(f"{label} is up to date (schema {after}).")
    else:
        print(f"{label} upgraded from schema {before or 'none'} to {after}.")
    return 0


def _settings(_args: argparse.Namespace, current: Settings) -> int:
    from frontdesk.bootstrap import printer_profile
    from frontdesk.services.receipts import existing_shop, printer_warnings

    for name, default, help_text in describe_settings():
        print(f"{name:22} = {getattr(current, name)!r:24} {help_text} (default {default})")
    shop = existing_shop(current.database_url or None) if current.printer_kind != "none" else None
    for warning in printer_warnings(printer_profile(current), shop):
        print(f"Warning: {warning}")
    return 0


def _gui(args: argparse.Namespace, _settings: Settings | None) -> int:
    from frontdesk.ui.app import run_app

    return run_app(args.db)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "gui"
    if command == "gui":  # the window reports settings problems itself, in a dialog
        return _gui(args, None)
    handlers = {
        "demo": _demo,
        "report": _report,
        "settings": _settings,
        "db": _db_upgrade,
        "receipt": _receipt_reprint,
    }
    try:
        settings = load_settings(database_url=args.db)
        configure_logging(settings)
        return handlers[command](args, settings)
    except (DatabaseProblem, DomainError) as exc:
        print(f"frontdesk: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("frontdesk: interrupted", file=sys.stderr)
        return 130
