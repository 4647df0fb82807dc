"""Real processes: kill -9 during checkouts, and two FrontDesks printing on one machine.

The children are the sales loop of tools/receipt_crash_check.py; a real TCP fake printer
on 127.0.0.1 records what reaches paper.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from tests.fakes import fake_network_printer
from tools.receipt_crash_check import (
    child_command,
    child_env,
    make_shop,
    restart_and_flush,
    run_with_kills,
    verify,
)

pytestmark = pytest.mark.slow


def test_kill_9_during_checkouts_loses_no_sale_and_no_receipt(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite3"
    ids = make_shop(db, 6)
    with fake_network_printer() as printer:
        # Each child is killed right after a random step it announced (sold / drawer /
        # printed): driven by its own output, not by timers.
        run = run_with_kills(
            db, printer.port, tmp_path / "locks", ids, random.Random(5), max_steps=5
        )
        restart_and_flush(db, printer.port, tmp_path / "locks")
        verdict = verify(db, printer.jobs)

    assert run.kills >= 3
    assert verdict.sales == 6
    assert verdict.partial_sales == 0
    assert verdict.receipt_gaps == 0
    assert verdict.printed_twice_or_more == 0
    assert verdict.missing == 0
    assert verdict.printed_once + verdict.listed == 6
    assert verdict.kicks_inside_receipts == 0


def test_two_processes_on_one_database_print_each_receipt_once(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite3"
    ids = make_shop(db, 64)
    halves = [ids[0::2], ids[1::2]]
    with fake_network_printer() as printer:
        children = [
            subprocess.Popen(
                child_command(
                    db, printer.port, tmp_path / "locks", half, "--wait-before-final-flush"
                ),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=child_env(),
            )
            for half in halves
        ]
        said: list[list[str]] = []
        for child in children:  # both sell and print at the same time, then wait
            assert child.stdout is not None
            lines = []
            while (line := child.stdout.readline().decode().strip()) not in ("waiting", ""):
                lines.append(line)
            assert line == "waiting"
            said.append(lines)
        for child in children:  # now both flush what is left, and quit
            child.communicate(b"go\n", timeout=120)
            assert child.returncode == 0
        verdict = verify(db, printer.jobs)

    # While both ran, one owned the printer and the other left printing to it (and said so).
    left_to_other = [any(line.endswith("not_owner") for line in lines) for lines in said]
    assert sorted(left_to_other) == [False, True]
    assert verdict.sales == 64
    assert verdict.printed_twice_or_more == 0
    assert verdict.printed_once == 64
    assert verdict.missing == 0
