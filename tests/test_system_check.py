"""The prerequisite check names every missing system package with the line that installs it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "tools" / "check-system-libs.sh"
QT_LIBS = [
    "libGL.so.1",
    "libEGL.so.1",
    "libxkbcommon.so.0",
    "libfontconfig.so.1",
    "libglib-2.0.so.0",
    "libdbus-1.so.3",
    "libxcb-cursor.so.0",
    "libxcb-icccm.so.4",
    "libxcb-image.so.0",
    "libxcb-keysyms.so.1",
    "libxcb-render-util.so.0",
    "libxcb-shape.so.0",
    "libxcb-xkb.so.1",
    "libxkbcommon-x11.so.0",
]


def _machine(tmp_path: Path, *, libs: tuple[str, ...], fonts: str, socat: bool) -> Path:
    """A PATH that sees only the tools the script uses, with stubbed ldconfig and fc-list."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "grep", "uname", "cat"):
        found = shutil.which(tool)
        assert found is not None, tool
        (bin_dir / tool).symlink_to(found)
    listing = "".join(f"\t{lib} (libc6,x86-64) => /usr/lib/{lib}\\n" for lib in libs)
    (bin_dir / "ldconfig").write_text(f"#!/bin/sh\nprintf '{listing}'\n")
    (bin_dir / "python3").write_text("#!/bin/sh\nexit 0\n")  # has venv and ensurepip
    (bin_dir / "fc-list").write_text(f"#!/bin/sh\nprintf '{fonts}'\n")
    if socat:
        (bin_dir / "socat").write_text("#!/bin/sh\n")
    for stub in bin_dir.iterdir():
        if not stub.is_symlink():
            stub.chmod(0o755)
    return bin_dir


def _check(bin_dir: Path, mode: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(bin_dir), "HOME": os.environ.get("HOME", "/tmp"), **extra}
    return subprocess.run(
        [str(bin_dir / "bash"), str(SCRIPT), mode],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )


pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def test_missing_fonts_and_socat_are_named_with_one_install_line(tmp_path: Path) -> None:
    bin_dir = _machine(tmp_path, libs=tuple(QT_LIBS), fonts="", socat=False)

    result = _check(bin_dir, "test")

    assert result.returncode == 0, result.stderr  # optional parts never stop the tests
    assert "apt-get install -y fonts-wqy-microhei fonts-dejavu-core socat" in result.stderr
    assert "skip" in result.stderr
    assert "PostgreSQL tests skip" in result.stderr


def test_a_complete_machine_has_nothing_to_install(tmp_path: Path) -> None:
    fonts = "/usr/share/fonts/wqy-microhei.ttc: WenQuanYi\\n/usr/share/fonts/DejaVuSans.ttf\\n"
    bin_dir = _machine(tmp_path, libs=tuple(QT_LIBS), fonts=fonts, socat=True)

    result = _check(bin_dir, "test", FRONTDESK_TEST_PG_URL="postgresql+psycopg://app@/test")

    assert result.returncode == 0
    assert "apt-get install" not in result.stderr


def test_missing_qt_libraries_stop_with_the_exact_line(tmp_path: Path) -> None:
    libs = tuple(lib for lib in QT_LIBS if lib not in ("libEGL.so.1", "libxcb-cursor.so.0"))
    bin_dir = _machine(tmp_path, libs=libs, fonts="", socat=True)

    result = _check(bin_dir, "window")

    assert result.returncode == 1
    assert "apt-get install -y libegl1 libxcb-cursor0" in result.stderr
