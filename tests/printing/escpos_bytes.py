"""Split ESC/POS bytes into commands and printed lines, for assertions in tests."""

from __future__ import annotations

from dataclasses import dataclass

ESC, FS, GS = 0x1B, 0x1C, 0x1D
#: Argument bytes of each command the renderer may send; anything else is a test failure.
_ARGUMENTS = {
    b"\x1b@": 0,
    b"\x1bt": 1,
    b"\x1bE": 1,
    b"\x1ba": 1,
    b"\x1b!": 1,
    b"\x1bd": 1,
    b"\x1bp": 3,
    b"\x1d!": 1,
    b"\x1c&": 0,
    b"\x1c.": 0,
}


@dataclass(frozen=True)
class PrintedLine:
    """The bytes of one printed line and whether any of it was in double width."""

    raw: bytes
    double_width: bool

    @property
    def columns(self) -> int:
        return len(self.raw) * (2 if self.double_width else 1)


@dataclass(frozen=True)
class Printout:
    commands: list[bytes]
    lines: list[PrintedLine]


def parse(data: bytes) -> Printout:
    """Commands and lines of a job; raises AssertionError on a command the parser does not know."""
    commands: list[bytes] = []
    lines: list[PrintedLine] = []
    current = bytearray()
    double = line_double = False
    i = 0
    while i < len(data):
        byte = data[i]
        if byte in (ESC, FS, GS):
            key = data[i : i + 2]
            if key == b"\x1dV":  # GS V m, or GS V m n for m 65/66
                count = 1 if data[i + 2] in (0, 1, 48, 49) else 2
            else:
                assert key in _ARGUMENTS, f"unexpected command {key!r} at {i}: {data[i : i + 8]!r}"
                count = _ARGUMENTS[key]
            command = data[i : i + 2 + count]
            commands.append(command)
            if key == b"\x1b!":
                double = bool(command[2] & 0x20)
                line_double = line_double or (double and bool(current))
            i += 2 + count
            continue
        if byte == 0x0A:
            lines.append(PrintedLine(bytes(current), line_double))
            current.clear()
            line_double = False
        else:
            assert byte >= 0x20, f"control byte {byte:#04x} at {i}"
            if not current:
                line_double = double
            line_double = line_double or double
            current.append(byte)
        i += 1
    if current:
        lines.append(PrintedLine(bytes(current), line_double))
    return Printout(commands, lines)
