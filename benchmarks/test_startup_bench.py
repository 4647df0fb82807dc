"""Cold start of the real program beside a bare PySide6 window, each in a fresh process.

Every launch is the same small probe (`python -c PROBE ...`): it creates the QApplication and
prints one line when the window it waits for has first been painted. The floor shows a bare
1280x800 window; the targets call the real entry point (`frontdesk.cli.main(["--db", ...])`).
A round is timed from the launch to that line, so process teardown is outside the measurement
for both. The signed-in probe types the demo PIN into the sign-in dialog the moment it is
painted, as a quick person would, and quits cleanly once the main window is painted (without
the backup at quit, which would copy the whole database each round), so the next round's start
may skip the full integrity check, as a real start after a clean close does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.conftest import record

ROUNDS = 9

PROBE = r"""
import os, sys
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

wait_for, target = sys.argv[1], sys.argv[2]  # first | signed-in; bare | a database
app = QApplication(sys.argv[:1])


def shown(name):
    print("painted", name, flush=True)
    if wait_for == "first":
        os._exit(0)  # nothing after the first window is measured, nor left to finish
    QTimer.singleShot(0, app.quit)


if target == "bare":

    class Bare(QMainWindow):
        painted = False

        def paintEvent(self, event):
            super().paintEvent(event)
            if not self.painted:
                self.painted = True
                shown("QMainWindow")

    window = Bare()
    window.resize(1280, 800)
    window.show()
    app.exec()
else:
    # Hooks on the program's own first-paint signal and on its main window only: an
    # application-wide Python event filter would tax every event of the bigger window.
    import frontdesk.ui.app as front_desk

    front_desk._backup_at_quit = lambda services: None
    begin_when_painted = front_desk.Starter.begin_when_painted
    open_window = front_desk.FrontDeskApp.open_window

    def first_window(starter, window):
        begin_when_painted(starter, window)

        def painted():
            if wait_for == "first":
                shown(type(window).__name__)
            else:  # a quick person: the demo PIN, typed the moment the window shows
                window.pin_edit.setText("1234")
                QTimer.singleShot(0, window.sign_in_button.click)

        window.first_painted.connect(painted)

    class MainPainted(QObject):
        def eventFilter(self, watched, event):
            if event.type() == event.Type.Paint:
                watched.removeEventFilter(self)
                shown(type(watched).__name__)
            return False

    main_painted = MainPainted()

    def main_window(desk, who):
        open_window(desk, who)
        desk.window.installEventFilter(main_painted)

    front_desk.Starter.begin_when_painted = first_window
    front_desk.FrontDeskApp.open_window = main_window
    from frontdesk.cli import main

    main(["--db", target])
"""


class Launcher:
    """Starts the probe; waits for the previous launch to finish outside the timed part."""

    def __init__(self) -> None:
        self.running: subprocess.Popen[str] | None = None

    def finish(self) -> None:
        if self.running is not None:
            running, self.running = self.running, None
            code = running.wait(timeout=600)
            if running.stdout is not None:
                running.stdout.close()
            assert code == 0, "the probe failed (see its stderr)"

    def launch(self, wait_for: str, target: str) -> None:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        # As installed: compiled modules are cached (the warm-up round writes them).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.running = subprocess.Popen(
            [sys.executable, "-c", PROBE, wait_for, target],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.running.stdout is not None
        line = self.running.stdout.readline()
        assert line.startswith("painted"), f"the probe ended before a window showed: {line!r}"


@pytest.fixture
def launcher() -> Iterator[Launcher]:
    launcher = Launcher()
    yield launcher
    launcher.finish()


def _measure(
    benchmark: BenchmarkFixture, launcher: Launcher, name: str, wait_for: str, target: str
) -> None:
    benchmark.pedantic(  # type: ignore[no-untyped-call]
        launcher.launch,
        args=(wait_for, target),
        setup=launcher.finish,
        rounds=ROUNDS,
        warmup_rounds=1,
    )
    launcher.finish()
    record(name, benchmark)


def test_cold_start_first_window(
    benchmark: BenchmarkFixture, launcher: Launcher, bench_db: Path
) -> None:
    _measure(benchmark, launcher, "cold start to first window:target", "first", str(bench_db))


def test_cold_start_first_window_floor(benchmark: BenchmarkFixture, launcher: Launcher) -> None:
    _measure(benchmark, launcher, "cold start to first window:floor", "first", "bare")


def test_cold_start_signed_in_window(
    benchmark: BenchmarkFixture, launcher: Launcher, bench_db: Path
) -> None:
    _measure(benchmark, launcher, "cold start to main window:target", "signed-in", str(bench_db))


def test_cold_start_signed_in_window_floor(benchmark: BenchmarkFixture, launcher: Launcher) -> None:
    _measure(benchmark, launcher, "cold start to main window:floor", "signed-in", "bare")
