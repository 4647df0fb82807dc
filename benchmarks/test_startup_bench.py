"""Cold start of the real program beside a bare PySide6 window, each in a fresh process.

Every launch is the same small probe (`python -c PROBE ...`): it creates the QApplication,
watches for the first exposed top-level window, prints one line when the window it waits for
is on screen, and quits. The floor shows a bare 1280x800 window; the targets call the real
entry point (`frontdesk.cli.main(["--db", ...])`). A round is timed from the launch to that
line, so process teardown is outside the measurement for both. The signed-in probe types the
demo PIN into the sign-in dialog the moment it shows, as a quick person would, and quits
cleanly afterwards (without the backup at quit, which would copy the whole database each
round), so the next round's start may skip the full integrity check, as a real start does.
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
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QMainWindow

wait_for, target = sys.argv[1], sys.argv[2]  # first | signed-in; bare | a database
app = QApplication(sys.argv[:1])


def shown(widget_name):
    print("exposed", widget_name, flush=True)
    if wait_for == "first":
        os._exit(0)  # nothing after the first window is measured, nor left to finish
    QTimer.singleShot(0, app.quit)


class Probe(QObject):
    signing_in = False

    def eventFilter(self, obj, event):
        if event.type() != QEvent.Type.Expose or not isinstance(obj, QWindow):
            return False
        if not obj.isExposed():
            return False
        widget = next(
            (w for w in QApplication.topLevelWidgets() if w.windowHandle() is obj), None
        )
        name = type(widget).__name__
        if wait_for == "first" or name in ("QMainWindow", "MainWindow"):
            shown(name)
        elif name == "SignInDialog" and not self.signing_in:
            self.signing_in = True
            widget.pin_edit.setText("1234")
            QTimer.singleShot(0, widget.sign_in_button.click)
        return False


probe = Probe()
app.installEventFilter(probe)
if target == "bare":
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.exec()
else:
    import frontdesk.ui.app as front_desk

    front_desk._backup_at_quit = lambda services: None
    from frontdesk.cli import main

    main(["--db", target])
"""


class Launcher:
    """Starts the probe; waits for the previous launch to finish outside the timed part."""

    def __init__(self) -> None:
        self.running: subprocess.Popen[str] | None = None

    def finish(self) -> None:
        if self.running is not None:
            assert self.running.wait(timeout=600) == 0, "the probe failed (see its stderr)"
            self.running = None

    def launch(self, wait_for: str, target: str) -> None:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        self.running = subprocess.Popen(
            [sys.executable, "-c", PROBE, wait_for, target],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.running.stdout is not None
        line = self.running.stdout.readline()
        assert line.startswith("exposed"), f"the probe ended before a window showed: {line!r}"


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
