"""What the first window shows, known before the database layer is loaded.

The sign-in window (or the first-owner form, or the question whether to create a database) is
chosen from a plain look at the SQLite file; the full start runs behind it. None means only
the full start can tell (PostgreSQL, a network share, a file that is not a plain database...),
and the program then waits for it as before.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from db.engine import default_database_path, is_network_path
from db.first_look import look, sqlite_file
from frontdesk.domain.roles import Role


@dataclass(frozen=True)
class SignInChoice:
    """A name on the sign-in list (the same fields as AuthService's StaffChoice)."""

    id: int
    name: str
    role: Role


@dataclass(frozen=True)
class StartingPoint:
    """The database file and what the first window needs from it."""

    path: Path
    exists: bool
    is_default: bool
    shop_name: str = ""
    #: The shop's locale ("" before the shop is set up: the window speaks English, or the
    #: `language` setting).
    locale: str = ""
    staff: tuple[SignInChoice, ...] = ()
    has_staff: bool = False


def starting_point(database_url: str | None) -> StartingPoint | None:
    """Where the program starts; None when only the full start can tell."""
    path = sqlite_file(database_url)
    if path is None or is_network_path(path) or path.is_dir():
        return None
    is_default = path == default_database_path()
    if not path.exists():
        return StartingPoint(path, exists=False, is_default=is_default)
    if not os.access(path, os.R_OK | os.W_OK):
        return None
    seen = look(path)
    if seen is None or (seen.has_staff and seen.shop_name is None):
        return None
    try:
        staff = tuple(SignInChoice(row.id, row.name, Role(row.role)) for row in seen.staff)
    except ValueError:  # a role this program does not know: let the full start decide
        return None
    return StartingPoint(
        path,
        exists=True,
        is_default=is_default,
        shop_name=seen.shop_name or "",
        locale=seen.locale or "",
        staff=staff,
        has_staff=seen.has_staff,
    )
