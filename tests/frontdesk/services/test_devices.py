"""Setting up the printer and the scanner: tests from the form's values on real sockets and
ptys, the settings file written and read back, and the new devices used without a restart."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select, update

from db.models import AuditEntry, ShopProfile
from frontdesk.bootstrap import AppServices, build_services
from frontdesk.devices.scanner import (
    FakeScanner,
    ScannerCondition,
    ScannerState,
    ScanResult,
    SerialScanner,
)
from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.devices import DeviceForm, form_settings, profile_choices
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.settings import load_settings, settings_path
from printing.escpos_layout import render_drawer_kick
from tests.fakes import fake_network_printer, free_port
from tests.seed import PIN, SeededShop
from tests.serial_pty import PtyPair, needs_socat

NETWORK = DeviceForm(printer_kind="network", printer_host="127.0.0.1")


def _services(
    database: UnitOfWork, clock: FixedClock, tmp_path: Path, scanner: object | None = None
) -> AppServices:
    settings = load_settings()  # the test's own (empty) settings file and environment
    return build_services(
        settings,
        database,
        clock=clock,
        scanner=scanner or FakeScanner(),  # type: ignore[arg-type]
        spool_dir=tmp_path / "spool",
    )


@pytest.fixture
def services(database: UnitOfWork, clock: FixedClock, tmp_path: Path) -> AppServices:
    return _services(database, clock, tmp_path)


@pytest.fixture
def owner(services: AppServices, shop: SeededShop) -> SignedIn:
    return services.auth.sign_in(shop.owner_id, PIN)


def test_the_test_print_reaches_the_forms_printer_before_anything_is_saved(
    services: AppServices, owner: SignedIn
) -> None:
    with fake_network_printer() as printer:
        check = services.devices.test_print(owner, replace(NETWORK, printer_port=str(printer.port)))
        (job,) = printer.wait_for_jobs(1)
    assert check.ok
    assert check.delivery == "printed"
    assert b"Printer test" in job
    assert b"Willow Test Spa" in job
    assert b"The quick brown fox" in job
    assert b"The printer works." in job
    assert b"23 Nov 2026" in job  # today, in the shop's zone and language
    assert b"\x1bp" not in job  # a test page never opens the drawer
    assert not settings_path().exists()


def test_the_test_page_speaks_the_shops_language(
    services: AppServices, owner: SignedIn, database: UnitOfWork
) -> None:
    with database.write() as session:
        session.execute(update(ShopProfile).values(locale="ru_RU"))
    with fake_network_printer() as printer:
        services.devices.test_print(owner, replace(NETWORK, printer_port=str(printer.port)))
        (job,) = printer.wait_for_jobs(1)
    assert "Принтер работает.".encode("cp866") in job
    assert "Съешь же ещё".encode("cp866") in job


def test_the_drawer_test_sends_the_kick_alone_and_now(
    services: AppServices, owner: SignedIn
) -> None:
    with fake_network_printer() as printer:
        check = services.devices.drawer_test(
            owner, replace(NETWORK, printer_port=str(printer.port))
        )
        (job,) = printer.wait_for_jobs(1)
    assert check.ok
    assert job == render_drawer_kick()
    assert job.startswith(b"\x1bp")


def test_a_printer_that_is_not_there_is_said_plainly(
    services: AppServices, owner: SignedIn
) -> None:
    check = services.devices.test_print(owner, replace(NETWORK, printer_port=str(free_port())))
    assert not check.ok
    assert check.problem == "unreachable"
    assert check.reason


def test_bad_input_is_refused_at_every_field_at_once() -> None:
    form = DeviceForm(
        printer_kind="network",
        printer_host="",
        printer_port="70000",
        printer_profile="No-Such-Printer",
        scanner_baudrate="fast",
    )
    with pytest.raises(FormErrors) as refused:
        form_settings(form)
    assert set(refused.value.errors) == {
        "printer_host",
        "printer_port",
        "printer_profile",
        "scanner_baudrate",
    }
    with pytest.raises(FormErrors) as refused:
        form_settings(DeviceForm(printer_kind="serial", printer_baudrate="9600x"))
    assert set(refused.value.errors) == {"printer_device", "printer_baudrate"}
    with pytest.raises(FormErrors) as refused:
        form_settings(DeviceForm(printer_kind="usb", printer_usb_vendor="0x04b8"))
    assert set(refused.value.errors) == {"printer_usb_product"}


def test_only_the_chosen_kinds_address_is_checked_and_written() -> None:
    values = form_settings(
        DeviceForm(printer_kind="usb", printer_usb_vendor="0x04b8", printer_usb_product="3605")
    )
    assert values["printer_usb_vendor"] == 0x04B8
    assert values["printer_usb_product"] == 3605
    assert "printer_host" not in values
    assert "printer_port" not in values
    assert values["printer_columns"] == 48
    assert form_settings(replace(NETWORK, paper_mm=58))["printer_columns"] == 32


def test_profiles_are_those_python_escpos_knows() -> None:
    keys = [choice.key for choice in profile_choices()]
    assert "TM-T20II" in keys
    assert "default" in keys
    assert len(keys) > 20
    form_settings(replace(NETWORK, printer_profile=keys[-1]))  # any of them is accepted


def test_saving_writes_the_file_keeping_other_settings_and_reads_back(
    backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock, tmp_path: Path
) -> None:
    database = backend_db
    services = _services(database, clock, tmp_path)
    owner = services.auth.sign_in(backend_shop.owner_id, PIN)
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('# mine\nlog_level = "DEBUG"\nbackup_keep = 30\n', encoding="utf-8")
    form = DeviceForm(
        printer_kind="network",
        printer_host="printer.local",
        printer_port="9101",
        paper_mm=58,
        printer_profile="TM-T88V",
        printer_chinese=True,
        scanner_port="/dev/ttyACM0",
        scanner_baudrate="115200",
    )
    shown = services.devices.save(owner, form)
    read = load_settings(path, {})
    assert read.log_level == "DEBUG"
    assert read.backup_keep == 30
    assert read.printer_kind == "network"
    assert read.printer_host == "printer.local"
    assert read.printer_port == 9101
    assert read.printer_columns == 32
    assert read.printer_profile == "TM-T88V"
    assert read.printer_chinese
    assert read.scanner_port == "/dev/ttyACM0"
    assert read.scanner_baudrate == 115200
    assert shown.form == replace(form, printer_usb_vendor="", printer_usb_product="")
    assert services.devices.current(owner).form == shown.form
    assert not list(path.parent.glob(".settings-*"))  # no temporary file left behind
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "devices.save")).one()
    assert entry.staff_id == owner.staff_id
    assert "printer_host" in entry.detail


def test_the_address_of_a_kind_not_chosen_is_kept_in_the_file(
    services: AppServices, owner: SignedIn
) -> None:
    services.devices.save(owner, replace(NETWORK, printer_host="printer.local"))
    services.devices.save(owner, DeviceForm(printer_kind="serial", printer_device="/dev/ttyS0"))
    read = load_settings(settings_path(), {})
    assert read.printer_kind == "serial"
    assert read.printer_device == "/dev/ttyS0"
    assert read.printer_host == "printer.local"  # back when the printer goes back on the network


def test_a_bad_value_leaves_the_file_untouched(services: AppServices, owner: SignedIn) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('printer_kind = "file"\nprinter_path = "/tmp/receipts"\n', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(FormErrors) as refused:
        services.devices.save(owner, replace(NETWORK, printer_port="0"))
    assert set(refused.value.errors) == {"printer_port"}
    assert path.read_bytes() == before


def test_after_saving_the_next_receipt_and_kick_go_to_the_new_printer(
    services: AppServices, owner: SignedIn
) -> None:
    assert not services.printer.enabled
    assert services.checkout.print_station is None
    with fake_network_printer() as printer:
        services.devices.save(owner, replace(NETWORK, printer_port=str(printer.port)))
        assert services.printer.enabled
        assert services.checkout.print_station == services.printer.station
        assert services.printer.open_drawer().opened
        assert printer.wait_for_jobs(1) == [render_drawer_kick()]
    services.devices.save(owner, DeviceForm(printer_kind="none"))
    assert not services.printer.enabled
    assert services.checkout.print_station is None


def test_an_environment_override_is_named_and_saving_still_writes_the_file(
    database: UnitOfWork,
    clock: FixedClock,
    tmp_path: Path,
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FRONTDESK_PRINTER_HOST", "10.0.0.9")
    monkeypatch.setenv("FRONTDESK_PRINTER_KIND", "network")
    services = _services(database, clock, tmp_path)
    owner = services.auth.sign_in(shop.owner_id, PIN)
    shown = services.devices.current(owner)
    assert shown.overridden["printer_host"].source == "FRONTDESK_PRINTER_HOST"
    assert shown.overridden["printer_host"].in_use == "10.0.0.9"
    assert "printer_port" not in shown.overridden
    assert shown.form.printer_host == ""  # the form holds the file's value

    services.devices.save(owner, replace(NETWORK, printer_host="printer.local"))
    assert load_settings(settings_path(), {}).printer_host == "printer.local"
    assert services.devices.in_use.printer_host == "10.0.0.9"  # the override stays in use
    assert services.devices.current(owner).form.printer_host == "printer.local"


def test_a_command_line_option_is_named_as_such(
    database: UnitOfWork, clock: FixedClock, tmp_path: Path, shop: SeededShop
) -> None:
    settings = load_settings(printer_kind="network", printer_host="cli.local")
    services = build_services(
        settings, database, clock=clock, scanner=FakeScanner(), spool_dir=tmp_path / "spool"
    )
    owner = services.auth.sign_in(shop.owner_id, PIN)
    overridden = services.devices.current(owner).overridden
    assert overridden["printer_host"].source == "command line"
    assert overridden["printer_kind"].in_use == "network"


def test_only_owners_and_managers_set_up_devices(services: AppServices, shop: SeededShop) -> None:
    desk = services.auth.sign_in(shop.receptionist_id, PIN)
    with pytest.raises(NotPermitted):
        services.devices.current(desk)
    with pytest.raises(NotPermitted):
        services.devices.test_print(desk, NETWORK)


def test_a_scan_test_needs_a_port(services: AppServices, owner: SignedIn) -> None:
    with pytest.raises(ValidationError) as refused:
        services.devices.scan_test(owner, DeviceForm())
    assert refused.value.field == "scanner_port"


def test_a_scan_test_on_a_missing_port_says_it_could_not_be_opened(
    services: AppServices, owner: SignedIn, tmp_path: Path
) -> None:
    result = services.devices.scan_test(
        owner, DeviceForm(scanner_port=str(tmp_path / "nothing-here"))
    )
    assert result.outcome == "cannot_open"
    assert result.reason == "no such device"


@needs_socat
def test_a_scan_test_reads_one_code_from_the_forms_port(
    services: AppServices, owner: SignedIn, pty_pair: PtyPair
) -> None:
    form = DeviceForm(scanner_port=str(pty_pair.b))
    results = []
    worker = threading.Thread(
        target=lambda: results.append(services.devices.scan_test(owner, form, seconds=5.0))
    )
    worker.start()
    # The test opens the port on its thread; send until it has read (a code sent before the
    # port is open is dropped by the open, as a real scanner's would be).
    while worker.is_alive():
        pty_pair.send(b"4006381333931\r\n")
        worker.join(0.2)
    assert results[0].outcome == "code"
    assert results[0].code == "4006381333931"


@needs_socat
def test_a_scan_test_with_nothing_scanned_ends_and_can_be_cancelled(
    services: AppServices, owner: SignedIn, pty_pair: PtyPair
) -> None:
    form = DeviceForm(scanner_port=str(pty_pair.b))
    assert services.devices.scan_test(owner, form, seconds=0.3).outcome == "nothing"
    cancel = threading.Event()
    cancel.set()
    assert services.devices.scan_test(owner, form, cancel=cancel).outcome == "cancelled"


@needs_socat
def test_the_apps_scanner_on_the_same_port_pauses_for_the_test_and_resumes(
    database: UnitOfWork, clock: FixedClock, tmp_path: Path, shop: SeededShop, pty_pair: PtyPair
) -> None:
    app_scanner = SerialScanner(str(pty_pair.b), retry_initial=0.05, retry_max=0.1)
    services = _services(database, clock, tmp_path, scanner=app_scanner)
    owner = services.auth.sign_in(shop.owner_id, PIN)
    scans: list[ScanResult] = []
    scanned = threading.Event()
    connected = threading.Event()
    reconnected = threading.Event()  # connected again after being stopped for the test
    stopped = threading.Event()

    def on_scan(result: ScanResult) -> None:
        scans.append(result)
        scanned.set()

    def on_state(state: ScannerState) -> None:
        if state.condition is ScannerCondition.STOPPED:
            stopped.set()
        elif state.condition is ScannerCondition.CONNECTED:
            (reconnected if stopped.is_set() else connected).set()

    services.scanner.start(on_scan, on_state)
    try:
        assert connected.wait(5)
        results = []
        worker = threading.Thread(
            target=lambda: results.append(
                services.devices.scan_test(owner, DeviceForm(scanner_port=str(pty_pair.b)))
            )
        )
        worker.start()
        while worker.is_alive():
            pty_pair.send(b"TEST-1\r")
            worker.join(0.2)
        assert results[0].outcome == "code"
        assert results[0].code == "TEST-1"
        assert all(scan.code != "TEST-1" for scan in scans)  # the app did not take the test's
        # Resumed: the app's scanner reads the port again.
        assert stopped.is_set()
        assert reconnected.wait(5)
        pty_pair.send(b"CARD-2\r\n")
        assert scanned.wait(5)
        assert any(scan.code == "CARD-2" for scan in scans)
    finally:
        services.scanner.stop()


def test_saving_a_new_scanner_port_replaces_the_running_scanner(
    database: UnitOfWork, clock: FixedClock, tmp_path: Path, shop: SeededShop
) -> None:
    old = FakeScanner(port="old")
    services = _services(database, clock, tmp_path, scanner=old)
    owner = services.auth.sign_in(shop.owner_id, PIN)
    scans: list[ScanResult] = []
    states = []
    services.scanner.start(scans.append, states.append)
    services.devices.save(owner, DeviceForm(scanner_port="loop://", scanner_baudrate="9600"))
    try:
        assert not old.started
        current = services.scanner.current
        assert isinstance(current, SerialScanner)
        assert current.port == "loop://"
        old.scan("LATE")  # the replaced scanner delivers nothing any more
        assert scans == []
        assert states
        assert states[-1].port == "loop://"
    finally:
        services.scanner.stop()


def test_a_paused_scanner_delivers_nothing_and_starts_again_after() -> None:
    from frontdesk.devices.scanner import SwitchableScanner

    fake = FakeScanner()
    scanner = SwitchableScanner(fake)
    scans: list[ScanResult] = []
    states = []
    scanner.start(scans.append, states.append)
    with scanner.paused():
        assert not fake.started
        assert states[-1].condition is ScannerCondition.STOPPED
        fake.scan("DURING")
    assert fake.started
    assert states[-1].condition is ScannerCondition.CONNECTED
    fake.scan("AFTER")
    assert [scan.code for scan in scans] == ["AFTER"]
