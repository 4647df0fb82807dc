"""Turn the raw bytes a barcode scanner sends into scanned codes.

Pure and I/O-free, so it is tested on its own and shared by every scanner that speaks a serial
line protocol: a code, then CR LF (or CR alone, or LF alone). The only outside input besides the
bytes is a monotonic clock, injected so tests can move time by hand.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["DEFAULT_IDLE_RESET", "CodeFramer", "ScanResult"]

log = logging.getLogger(__name__)

#: Seconds of silence after which an unterminated partial code is dropped. A scanner sends a
#: whole code in one burst (a 64-character code takes ~70 ms even at 9600 baud, and its bytes
#: arrive milliseconds apart), so a longer pause means what came before was line noise or a
#: broken scan, and must not be glued to the front of the next real code.
DEFAULT_IDLE_RESET = 0.15

_TERMINATOR = re.compile(rb"[\r\n]")
#: Only ASCII blanks are stripped: other control characters at the edges are noise to report.
_BLANKS = " \t\v\f"
#: Room in the raw buffer beyond max_length characters: UTF-8 takes up to 4 bytes a character,
#: plus a little for surrounding blanks.
_BYTES_PER_CHAR = 4
_BLANK_ALLOWANCE = 16


@dataclass(frozen=True)
class ScanResult:
    """One scan: either a code, or an error in plain words when the scan was unreadable."""

    code: str | None
    error: str | None = None


class CodeFramer:
    """Split a byte stream into codes, whatever the terminators and however the reads fall.

    A CR LF pair gives one code even when CR and LF arrive in different reads (the LF only ends
    an empty line, and empty lines are ignored). A frame with control characters or undecodable
    bytes, or longer than ``max_length`` characters, gives an error result instead of a code.
    An unterminated frame that outgrows its buffer is reported once and discarded up to the next
    terminator, so line noise cannot grow memory.

    A partial frame followed by more than ``idle_reset`` seconds of silence (measured with
    ``clock`` between the last bytes fed and the next) is dropped without a result, so noise
    without a line end cannot swallow the next real scan. ``idle_reset=None`` turns that off.
    """

    def __init__(
        self,
        max_length: int = 64,
        *,
        idle_reset: float | None = DEFAULT_IDLE_RESET,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_length < 1:
            raise ValueError(f"max_length must be at least 1, not {max_length}")
        if idle_reset is not None and not idle_reset > 0:
            raise ValueError(f"idle_reset must be more than 0 seconds (or None), not {idle_reset}")
        self._max_length = max_length
        self._max_bytes = max_length * _BYTES_PER_CHAR + _BLANK_ALLOWANCE
        self._idle_reset = idle_reset
        self._clock = clock
        self._buffer = bytearray()
        self._discarding = False
        self._last_bytes_at: float | None = None

    def feed(self, data: bytes) -> list[ScanResult]:
        """Take the next bytes read from the device; return the scans they complete, in order."""
        if not data:
            return []
        self._drop_partial_after_silence()
        results: list[ScanResult] = []
        start = 0
        while start < len(data):
            match = _TERMINATOR.search(data, start)
            end = len(data) if match is None else match.start()
            if not self._discarding:
                self._buffer += data[start:end]
                if len(self._buffer) > self._max_bytes:
                    results.append(self._too_long())
                    self._buffer.clear()
                    self._discarding = True
            if match is None:
                break
            if not self._discarding:
                result = self._finish(bytes(self._buffer))
                if result is not None:
                    results.append(result)
            self._buffer.clear()
            self._discarding = False
            start = end + 1
        return results

    def _drop_partial_after_silence(self) -> None:
        now = self._clock()
        last, self._last_bytes_at = self._last_bytes_at, now
        if self._idle_reset is None or last is None or now - last <= self._idle_reset:
            return
        if self._buffer or self._discarding:
            # Only the size: the bytes may be anything, and a card number is nobody's business.
            log.debug(
                "Dropped %d unterminated byte(s) after %.3f s of silence",
                len(self._buffer),
                now - last,
            )
        self._buffer.clear()
        self._discarding = False

    def _finish(self, frame: bytes) -> ScanResult | None:
        text = frame.decode("utf-8", errors="replace").strip(_BLANKS)
        if not text:
            return None
        if "\ufffd" in text or not text.isprintable():
            return ScanResult(
                code=None,
                error="Unreadable scan: it contained unexpected characters. Please scan again.",
            )
        if len(text) > self._max_length:
            return self._too_long()
        return ScanResult(code=text)

    def _too_long(self) -> ScanResult:
        return ScanResult(
            code=None,
            error=(
                f"Unreadable scan: longer than {self._max_length} characters. Please scan again."
            ),
        )
