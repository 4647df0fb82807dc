"""Known errors: things that go wrong in normal use and are shown to the user in plain words."""


class DomainError(Exception):
    """A known, recoverable error whose message is fit to show to a user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Input that breaks a rule; `field` names the form field the message belongs beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class FormErrors(DomainError):
    """Several field errors from one form, reported together so the user can fix them at once."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)
