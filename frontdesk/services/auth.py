"""Sign-in with a PIN: argon2id hashes, lock-out after repeated failures, all audited."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from db.models import Staff
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.pins import LockoutPolicy, validate_pin
from frontdesk.domain.roles import Permission, Role, can
from frontdesk.services.audit import record
from frontdesk.services.clock import Clock
from frontdesk.services.database import Database

_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters


def hash_pin(pin: str) -> str:
    """An argon2id hash of a valid PIN."""
    return _HASHER.hash(validate_pin(pin))


class WrongPin(DomainError):
    """The PIN did not match."""


class AccountLocked(DomainError):
    """Too many wrong PINs; the account is locked for a while."""


class NotPermitted(DomainError):
    """The signed-in role may not do this."""


@dataclass(frozen=True)
class StaffChoice:
    id: int
    name: str
    role: Role


@dataclass(frozen=True)
class SignedIn:
    """Who is at the desk, and what their role lets them do."""

    staff_id: int | None
    name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return can(self.role, permission)

    def require(self, permission: Permission, doing: str) -> None:
        if not self.can(permission):
            raise NotPermitted(f"A {self.role.value} may not {doing}.")


#: The actor for headless command-line work run by whoever administers the machine.
COMMAND_LINE = SignedIn(staff_id=None, name="command line", role=Role.OWNER)


class AuthService:
    """Lists who can sign in and checks their PIN."""

    def __init__(self, db: Database, clock: Clock, policy: LockoutPolicy | None = None) -> None:
        self._db = db
        self._clock = clock
        self._policy = policy or LockoutPolicy()

    def staff_for_sign_in(self) -> list[StaffChoice]:
        with self._db.read() as session:
            rows = session.execute(
                select(Staff.id, Staff.display_name, Staff.role)
                .where(Staff.active.is_(True))
                .order_by(Staff.display_name)
            ).all()
        return [StaffChoice(row.id, row.display_name, Role(row.role)) for row in rows]

    def sign_in(self, staff_id: int, pin: str) -> SignedIn:
        """The signed-in staff member; WrongPin or AccountLocked otherwise (recorded either way)."""
        now = self._clock.now()
        failure: DomainError | None = None
        with self._db.write() as session:
            staff = session.get(Staff, staff_id)
            if staff is None or not staff.active:
                raise DomainError("That staff member cannot sign in.")
            if self._policy.is_locked(staff.locked_until, now):
                assert staff.locked_until is not None
                minutes = max(1, round((staff.locked_until - now).total_seconds() / 60))
                record(session, at=now, action="signin.refused_locked", staff_id=staff.id)
                failure = AccountLocked(
                    f"{staff.display_name} is locked after too many wrong PINs. "
                    f"Try again in {minutes} min or ask a manager."
                )
            elif self._verify(staff, pin):
                staff.failed_pin_attempts = 0
                staff.locked_until = None
                record(session, at=now, action="signin.ok", staff_id=staff.id)
                return SignedIn(staff.id, staff.display_name, Role(staff.role))
            else:
                failures, locked_until = self._policy.after_failure(staff.failed_pin_attempts, now)
                staff.failed_pin_attempts = failures
                staff.locked_until = locked_until
                if locked_until is not None:
                    record(session, at=now, action="signin.locked", staff_id=staff.id)
                    minutes = int(self._policy.lock_for.total_seconds() // 60)
                    failure = AccountLocked(
                        f"Wrong PIN. {staff.display_name} is now locked for {minutes} minutes."
                    )
                else:
                    record(session, at=now, action="signin.failed", staff_id=staff.id)
                    left = self._policy.max_failures - failures
                    failure = WrongPin(f"Wrong PIN. {left} tries left before the account locks.")
        raise failure

    def needs_first_owner(self) -> bool:
        """True on a new database: nobody exists who could sign in."""
        with self._db.read() as session:
            return session.scalar(select(func.count(Staff.id))) == 0

    def create_first_owner(self, name: str, pin: str, pin_again: str) -> SignedIn:
        """Create the owner of a new shop and sign them in; refused once any staff exists."""
        errors: dict[str, str] = {}
        clean = " ".join(name.split())
        if not clean:
            errors["name"] = "Enter the owner's name."
        elif len(clean) > 80:
            errors["name"] = "A name is at most 80 characters."
        try:
            validate_pin(pin)
        except ValidationError as exc:
            errors["pin"] = exc.message
        else:
            if pin != pin_again:
                errors["pin_again"] = "The two PINs are not the same."
        if errors:
            raise FormErrors(errors)
        pin_hash = hash_pin(pin)
        now = self._clock.now()
        with self._db.write() as session:
            if session.scalar(select(func.count(Staff.id))):
                raise DomainError("This shop already has staff: sign in instead.")
            owner = Staff(
                display_name=clean,
                role=Role.OWNER.value,
                pin_hash=pin_hash,
                active=True,
                failed_pin_attempts=0,
            )
            session.add(owner)
            session.flush()
            record(
                session,
                at=now,
                action="staff.first_owner",
                staff_id=owner.id,
                entity="staff",
                entity_id=owner.id,
            )
            return SignedIn(owner.id, clean, Role.OWNER)

    def set_pin(self, staff_id: int, pin: str, by: SignedIn) -> None:
        """Give a staff member a new PIN (owners for anyone, everyone for themselves)."""
        if by.staff_id != staff_id:
            by.require(Permission.MANAGE_STAFF, "change another person's PIN")
        new_hash = hash_pin(pin)
        with self._db.write() as session:
            staff = session.get(Staff, staff_id)
            if staff is None:
                raise DomainError("No such staff member.")
            staff.pin_hash = new_hash
            staff.failed_pin_attempts = 0
            staff.locked_until = None
            record(
                session,
                at=self._clock.now(),
                action="staff.pin_changed",
                staff_id=by.staff_id,
                entity="staff",
                entity_id=staff_id,
            )

    @staticmethod
    def _verify(staff: Staff, pin: str) -> bool:
        try:
            return bool(_HASHER.verify(staff.pin_hash, pin))
        except (VerificationError, InvalidHashError):
            return False
