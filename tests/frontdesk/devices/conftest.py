"""Device fixtures: socat pty pairs (see tests/serial_pty.py)."""

from tests.serial_pty import plug, pty_pair

__all__ = ["plug", "pty_pair"]
