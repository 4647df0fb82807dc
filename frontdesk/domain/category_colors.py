"""Service category colours: the calendar colours its blocks by them.

A category's colour is "#rrggbb", or "" for one from a fixed palette chosen by the category's
id (so it never changes between reads or terminals).
"""

from __future__ import annotations

import re

from frontdesk.domain.errors import ValidationError

#: Colours for categories without their own: all light enough for dark text on them.
CATEGORY_PALETTE = (
    "#8ecae6",
    "#f4a261",
    "#90be6d",
    "#e5989b",
    "#b8a1d9",
    "#f9c74f",
    "#7fd1b9",
    "#c9ada7",
    "#a3c4f3",
    "#ffb4a2",
)

_HEX = re.compile(r"#[0-9a-f]{6}")


def category_color(category_id: int, color: str) -> str:
    """A category's own colour, or a stable one from the palette."""
    return color or CATEGORY_PALETTE[category_id % len(CATEGORY_PALETTE)]


def clean_color(color: str) -> str:
    """'#RRGGBB' as stored ('#rrggbb'); '' keeps the palette's. ValidationError at the field
    `category_color` for anything else."""
    clean = color.strip().lower()
    if clean and not _HEX.fullmatch(clean):
        raise ValidationError("category_color", "Choose a colour such as #8ecae6.")
    return clean
