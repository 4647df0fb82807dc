"""A real serial device for tests: a socat pty pair that can be plugged in and pulled out."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import serial

#: Generous: only a failing test ever waits this long.
TIMEOUT = 5.0

needs_socat = pytest.mark.skipif(
    sys.platform == "win32" or shutil.which("socat") is None,
    reason="socat is not installed (apt-get install socat): it makes the pty pair these tests use",
)


class PtyPair:
    """Two linked pseudo-terminals: what is written to ``a`` can be read from ``b``.

    Starting one is plugging a scanner in; close() is pulling its cable out (socat removes both
    links as it ends, as the device node goes when a USB scanner is unplugged).
    """

    def __init__(self, directory: Path) -> None:
        self.a = directory / "A"
        self.b = directory / "B"
        self._log_path = directory / "socat.log"
        with self._log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    "socat",
                    "-d",
                    "-d",
                    f"pty,raw,echo=0,link={self.a}",
                    f"pty,raw,echo=0,link={self.b}",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + TIMEOUT
        while not (self.a.exists() and self.b.exists()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                pytest.fail(f"socat did not create the pty pair:\n{self.log()}")
            time.sleep(0.01)  # polling for socat's links: nothing to wait on instead

    def log(self) -> str:
        return self._log_path.read_text(errors="replace")

    def send(self, data: bytes) -> None:
        """Write ``data`` as the scanner would, on the other end of the pair."""
        with serial.Serial(str(self.a), 9600, timeout=1) as device:
            device.write(data)
            device.flush()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=TIMEOUT)


@pytest.fixture
def pty_pair(tmp_path: Path) -> Iterator[PtyPair]:
    pair = PtyPair(tmp_path)
    yield pair
    pair.close()


@pytest.fixture
def plug(tmp_path: Path) -> Iterator[Callable[[], PtyPair]]:
    """Plug a scanner in (start socat, links ``tmp_path/A`` and ``B``) whenever the test says;
    all unplugged afterwards."""
    pairs: list[PtyPair] = []

    def plug_in() -> PtyPair:
        pairs.append(PtyPair(tmp_path))
        return pairs[-1]

    yield plug_in
    for pair in pairs:
        pair.close()
