"""Database problems a user can understand and act on; each message is plain words.

Like the program's other known errors, each carries an English template (which the window and
the command line translate) and its parameters; `message` is the English sentence.
"""


def words(text: str) -> str:
    """Mark a template kept in a constant as translatable (see tools/error_catalog.py)."""
    return text


def _fill(text: str, params: dict[str, object]) -> str:
    """The English sentence: {name} placeholders filled, `%n` (Qt's plural count) as n."""
    if not params:
        return text
    if "n" in params:
        text = text.replace("%n", str(params["n"]))
    return text.format(**params)


class DatabaseProblem(Exception):
    """The database cannot be used as it is; the message says why and what to do."""

    def __init__(self, text: str, /, **params: object) -> None:
        super().__init__(_fill(text, params))
        self.text = text
        self.params: dict[str, object] = params

    @property
    def message(self) -> str:
        return _fill(self.text, self.params)


class UnsafeDatabaseLocation(DatabaseProblem):
    """The SQLite file lies on a network share, where its locking cannot be trusted."""


class DatabaseTooNew(DatabaseProblem):
    """The database was upgraded by a newer FrontDesk than this one."""


class DatabaseUnavailable(DatabaseProblem):
    """Missing, unreadable, locked or not a FrontDesk database."""


class DatabaseMissing(DatabaseUnavailable):
    """A named SQLite file does not exist; FrontDesk creates one only when asked to."""

    def __init__(self, text: str, /, *, path: object, **params: object) -> None:
        super().__init__(text, path=path, **params)
        self.path = path


class DatabaseDamaged(DatabaseUnavailable):
    """SQLite's own checks found the file damaged; it is refused before anything reads it."""


class UnsupportedDatabase(DatabaseUnavailable):
    """The URL names a kind of database FrontDesk does not work with."""


class BackupFailed(DatabaseProblem):
    """A backup or restore could not be made; nothing was replaced."""
