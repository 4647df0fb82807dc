"""Database problems a user can understand and act on; each message is plain words."""


class DatabaseProblem(Exception):
    """The database cannot be used as it is; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsafeDatabaseLocation(DatabaseProblem):
    """The SQLite file lies on a network share, where its locking cannot be trusted."""


class DatabaseTooNew(DatabaseProblem):
    """The database was upgraded by a newer FrontDesk than this one."""


class DatabaseUnavailable(DatabaseProblem):
    """Missing, unreadable, locked or not a FrontDesk database."""


class DatabaseMissing(DatabaseUnavailable):
    """A named SQLite file does not exist; FrontDesk creates one only when asked to."""

    def __init__(self, message: str, path: object) -> None:
        super().__init__(message)
        self.path = path


class DatabaseDamaged(DatabaseUnavailable):
    """SQLite's own checks found the file damaged; it is refused before anything reads it."""


class UnsupportedDatabase(DatabaseUnavailable):
    """The URL names a kind of database FrontDesk does not work with."""


class BackupFailed(DatabaseProblem):
    """A backup or restore could not be made; nothing was replaced."""
