"""How a client's name is shown."""

from __future__ import annotations

import re

_CJK = re.compile("[\u3400-\u9fff]")


def _has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def display_name(first_name: str, last_name: str) -> str:
    """'Anna Smith'; Chinese names family name first with no space: '王芳'."""
    if _has_cjk(first_name + last_name):
        return f"{last_name}{first_name}"
    return f"{first_name} {last_name}".strip()
