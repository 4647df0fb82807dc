"""Health data sealed at rest: AES-GCM (the `cryptography` package) under one key per shop
database, and where that key is kept.

Allergies, contraindications, patch tests and treatment notes are stored sealed: a random
12-byte nonce, then the ciphertext and its tag. The key is 32 random bytes, kept in the OS
keyring (service `KEYRING_SERVICE`, user: an id of the database, so two shops on one machine
have two keys). Where no keyring exists (the fail backend of a headless box) it is kept in a
key file beside the settings, readable by its owner only (0600), with a plain warning.

A known constant sealed with the key is kept in ShopProfile.health_key_check: it tells "this
key opens this database" from "wrong key", and a database that holds sealed data but whose key
is missing here is never given a new key silently: the vault stays locked and says how to
restore the key (Back office, Health data key; `frontdesk key import FILE`).

The owner exports the key as text (`KEY_PREFIX`, base64 and a checksum) in a file or on a
one-page PDF with a QR code, and restores it from either on another machine.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import or_, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from db.engine import sqlite_path
from db.models import Allergy, PatchTest, ShopProfile, TreatmentNote
from frontdesk.domain.errors import DomainError, ValidationError, words
from frontdesk.domain.roles import Permission
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.unit_of_work import UnitOfWork, writes

if TYPE_CHECKING:
    from printing.key_sheet import KeySheetWords

log = logging.getLogger(__name__)

KEY_BYTES = 32
NONCE_BYTES = 12
#: Bound into every seal: a sealed value of another program or purpose does not open here.
_PURPOSE = b"frontdesk-health-v1"
#: The constant sealed into ShopProfile.health_key_check.
_CHECK_TEXT = "frontdesk health key check v1"
KEYRING_SERVICE = "FrontDesk health data key"
#: The text form of an exported key: prefix, base64 of the key, then 8 hex digits of checksum.
KEY_PREFIX = "FDKEY1"

KEY_MISSING = words(
    "This database holds sealed health data, but its key is not on this computer. Restore the "
    "shop's key (Back office, Health data key, or: frontdesk key import FILE)."
)
KEY_WRONG = words(
    "The health data key on this computer does not open this database's health data. Restore "
    "the shop's key (Back office, Health data key, or: frontdesk key import FILE)."
)
KEY_IN_FILE = words(
    "No keyring on this computer: the health data key is kept in a file readable only by "
    "this user ({path}). Export the key and keep it safe."
)
BAD_KEY_TEXT = words(
    "This is not a health data key: check it was copied whole (it starts with FDKEY1)."
)
KEY_DOES_NOT_OPEN = words("This key does not open this shop's health data.")


class VaultError(DomainError):
    """A sealed value that does not open with this shop's key (a wrong or lost key)."""


@dataclass(frozen=True)
class VaultStatus:
    """Where the key is kept and whether health data can be read here.

    `where`: "keyring", "file" or "" (no key); `problem`: why health data cannot be read (a
    missing or wrong key), None when it can; `warning`: something the owner should know (the
    key is in a file, not a keyring)."""

    where: str
    problem: DomainError | None = None
    warning: DomainError | None = None

    @property
    def ready(self) -> bool:
        return self.problem is None


class HealthVault:
    """Seals and opens health text with the shop's key; locked (every seal and unseal refused
    with the reason) while the key is missing or wrong, until `install` gives it the key."""

    def __init__(self, key: bytes | None, status: VaultStatus | None = None) -> None:
        self._key: bytes | None = None
        self._aead: AESGCM | None = None
        self.status = status or VaultStatus(where="")
        if key is not None:
            self._set(key)

    def _set(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("a health vault key is 32 bytes")
        self._key = key
        self._aead = AESGCM(key)

    @staticmethod
    def new_key() -> bytes:
        return AESGCM.generate_key(bit_length=KEY_BYTES * 8)

    @property
    def ready(self) -> bool:
        return self._aead is not None and self.status.ready

    def install(self, key: bytes, status: VaultStatus) -> None:
        """Use `key` from now on (a restored key): every service sharing this vault sees it."""
        self._set(key)
        self.status = status

    def key(self) -> bytes:
        """The key itself, for export only (HealthKeyService checks who asks)."""
        if self._key is None or not self.ready:
            raise self._refusal()
        return self._key

    def _refusal(self) -> VaultError:
        problem = self.status.problem
        return VaultError(problem.text if problem else KEY_MISSING)

    def seal(self, text: str) -> bytes:
        if self._aead is None or not self.ready:
            raise self._refusal()
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, text.encode("utf-8"), _PURPOSE)

    def unseal(self, sealed: bytes) -> str:
        if self._aead is None or not self.ready:
            raise self._refusal()
        return _open(self._aead, sealed).decode("utf-8")

    def opens(self, sealed: bytes) -> bool:
        """Whether this vault's key opens `sealed` (a key check value or any sealed value)."""
        return self._aead is not None and _opens(self._aead, sealed)


def _open(aead: AESGCM, sealed: bytes) -> bytes:
    try:
        return aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _PURPOSE)
    except (InvalidTag, ValueError) as exc:
        raise VaultError(
            "Health data cannot be read with this computer's key. Restore the shop's key "
            "(Back office, Health data key)."
        ) from exc


def _opens(aead: AESGCM, sealed: bytes) -> bool:
    try:
        _open(aead, sealed)
    except VaultError:
        return False
    return True


# -- the key as text ---------------------------------------------------------------------------


def key_text(key: bytes) -> str:
    """The key written for a file or paper: FDKEY1-<base64>-<checksum> (no line breaks)."""
    check = hashlib.sha256(key).hexdigest()[:8].upper()
    return f"{KEY_PREFIX}-{base64.b64encode(key).decode('ascii')}-{check}"


def parse_key_text(text: str) -> bytes:
    """The key in `text` (a key file's content or typed from paper: spaces and line breaks are
    ignored). ValidationError on field "key_text" when it is not a whole, correct key."""
    compact = "".join(text.split())
    parts = compact.rsplit("-", 1)
    if len(parts) == 2 and parts[0].upper().startswith(KEY_PREFIX + "-"):
        body, check = parts[0][len(KEY_PREFIX) + 1 :], parts[1]
        try:
            key = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if len(key) == KEY_BYTES and hashlib.sha256(key).hexdigest()[:8] == check.lower():
            return key
    raise ValidationError("key_text", BAD_KEY_TEXT)


# -- where the key is kept ---------------------------------------------------------------------


def database_id(url: URL) -> str:
    """A short id of one shop database on this machine (its file, or server and name)."""
    path = sqlite_path(url)
    if path is not None:
        where = str(path.expanduser().resolve())
    else:
        where = f"{url.get_backend_name()}://{url.host or ''}:{url.port or ''}/{url.database}"
    return hashlib.sha256(where.encode("utf-8")).hexdigest()[:16]


def default_key_dir() -> Path:
    """Beside the settings file."""
    from frontdesk.settings import settings_path

    return settings_path().parent


class KeyStore:
    """One database's key in the OS keyring, or in a 0600 file where no keyring works."""

    def __init__(self, database: str, folder: Path) -> None:
        self.database = database
        self.path = folder / f"health-key-{database}.txt"

    def load(self) -> tuple[bytes | None, str]:
        """The stored key and where it was found ("keyring", "file"), or (None, "")."""
        import keyring
        from keyring.errors import KeyringError

        text: str | None = None
        with contextlib.suppress(KeyringError):
            text = keyring.get_password(KEYRING_SERVICE, self.database)
        if text:
            with contextlib.suppress(ValidationError):
                return parse_key_text(text), "keyring"
            log.error("The health data key in the keyring is damaged; looking for a key file.")
        try:
            stored = self.path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            return None, ""
        try:
            return parse_key_text(stored), "file"
        except ValidationError:
            log.error("The health data key file %s is damaged.", self.path)
            return None, ""

    def save(self, key: bytes) -> str:
        """Keep `key` in the keyring, else in the key file (0600); where it went."""
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(KEYRING_SERVICE, self.database, key_text(key))
        except KeyringError:
            pass
        else:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()  # an older fallback copy: the keyring holds it now
            return "keyring"
        write_private_text(self.path, key_text(key) + "\n")
        return "file"

    def save_new(self, key: bytes) -> tuple[bytes, str]:
        """Keep a newly made `key` unless a key is kept here already (another program on this
        computer made one a moment ago): the key kept and where. The key file is created only
        if absent (atomically); the keyring is read again just before writing."""
        import keyring
        from keyring.errors import KeyringError

        found, where = self.load()
        if found is not None:
            return found, where
        try:
            keyring.set_password(KEYRING_SERVICE, self.database, key_text(key))
        except KeyringError:
            pass
        else:
            return key, "keyring"
        if not write_private_text(self.path, key_text(key) + "\n", exclusive=True):
            found, where = self.load()
            if found is not None:
                return found, where
            write_private_text(self.path, key_text(key) + "\n")  # a damaged file: replaced
        return key, "file"

    def delete(self, key: bytes) -> None:
        """Forget `key` here (keyring and key file), if it is still the one kept: a key made on
        a first start that lost the race to another terminal's."""
        import keyring
        from keyring.errors import KeyringError

        text: str | None = None
        with contextlib.suppress(KeyringError):
            text = keyring.get_password(KEYRING_SERVICE, self.database)
        if text and text.strip() == key_text(key):
            with contextlib.suppress(KeyringError):
                keyring.delete_password(KEYRING_SERVICE, self.database)
        try:
            stored = self.path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            return
        if stored.strip() == key_text(key):
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


def write_private_text(path: Path, text: str, *, exclusive: bool = False) -> bool:
    """Write `text` to `path` readable by its owner only (0600), whole or not at all. With
    `exclusive`, only if `path` does not exist yet; whether it was written."""
    return write_private_bytes(path, text.encode("ascii"), exclusive=exclusive)


def write_private_bytes(path: Path, data: bytes, *, exclusive: bool = False) -> bool:
    """Write `data` to `path` readable by its owner only (0600), whole or not at all. With
    `exclusive`, only if `path` does not exist yet (a hard link: atomic); whether it was
    written."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".key-", suffix=".tmp")
    try:
        os.chmod(temp, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if not exclusive:
            os.replace(temp, path)
            return True
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        finally:
            os.unlink(temp)
        return True
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _status(where: str, store: KeyStore) -> VaultStatus:
    warning = DomainError(KEY_IN_FILE, path=str(store.path)) if where == "file" else None
    return VaultStatus(where=where, warning=warning)


# -- opening the vault at start ----------------------------------------------------------------


def _some_sealed(session: Session) -> bytes | None:
    """Any one sealed value of the database, or None when it holds none."""
    for column in (Allergy.substance_sealed, PatchTest.product_sealed, TreatmentNote.body_sealed):
        value = session.scalar(select(column).where(column.is_not(None)).limit(1))
        if value is not None:
            return bytes(value)
    return None


def _key_check(session: Session) -> tuple[ShopProfile | None, bytes | None]:
    profile = session.scalar(select(ShopProfile).order_by(ShopProfile.id).limit(1))
    check = profile.health_key_check if profile is not None else None
    return profile, bytes(check) if check is not None else None


def _claim_key_check(session: Session, vault: HealthVault) -> bool:
    """Whether this database's health data is `vault`'s. With no key check yet, the shop
    profile's row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write transaction
    already holds the file) and read again: still none, ours is written. False when another
    terminal's key check is there and our key does not open it (two terminals made a key on one
    first start: the first to write its check wins)."""
    if not vault.ready:
        return True
    profile, check = _key_check(session)
    if profile is None:
        return True
    if check is None:  # the first start's race: read again under the row's lock
        profile = session.scalar(
            select(ShopProfile)
            .where(ShopProfile.id == profile.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if profile is None:
            return True
        if profile.health_key_check is None:
            profile.health_key_check = vault.seal(_CHECK_TEXT)
            session.flush()
            return True
        check = bytes(profile.health_key_check)
    return vault.opens(check)


def ensure_key_check(session: Session, vault: HealthVault) -> None:
    """Store the key check value if the database has none yet (and a shop profile), before
    anything is sealed. When another terminal's key is this database's (its check is there and
    ours does not open it), `vault` is locked and VaultError raised: nothing is sealed with a
    key the other terminals cannot open."""
    if not _claim_key_check(session, vault):
        log.error("Another terminal's health data key is this database's; locked here.")
        vault.status = VaultStatus(where=vault.status.where, problem=DomainError(KEY_WRONG))
        raise VaultError(KEY_WRONG)


def _verdict(session: Session, key: bytes) -> bool:
    """Whether `key` opens this database's sealed data (True when it holds none yet)."""
    aead = AESGCM(key)
    _profile, check = _key_check(session)
    if check is not None:
        return _opens(aead, check)
    sample = _some_sealed(session)
    return sample is None or _opens(aead, sample)


def _has_sealed(session: Session) -> bool:
    _profile, check = _key_check(session)
    return check is not None or _some_sealed(session) is not None


def open_vault(
    settings: object | None = None,
    database: UnitOfWork | None = None,
    *,
    key_dir: Path | None = None,
) -> HealthVault:
    """The shop's vault for `database`: its key from the keyring or key file; a new key on
    first start; locked (saying why) when the database holds sealed data and the key here is
    missing or does not open it. Then older plain rows are sealed (`seal_older_rows`).

    Without a database (tools and tests): a key for this process only."""
    if database is None:
        return HealthVault(HealthVault.new_key(), VaultStatus(where="process"))
    store = KeyStore(database_id(database.engine.url), key_dir or default_key_dir())
    key, where = store.load()
    with database.read() as session:
        if key is None:
            if _has_sealed(session):
                log.error("The health data key of this database is missing on this computer.")
                return HealthVault(None, VaultStatus(where="", problem=DomainError(KEY_MISSING)))
        elif not _verdict(session, key):
            log.error("The health data key on this computer does not open this database.")
            return HealthVault(None, VaultStatus(where=where, problem=DomainError(KEY_WRONG)))
    made = key is None
    if key is None:
        new = HealthVault.new_key()
        key, where = store.save_new(new)
        made = key == new
        if made:
            log.info("Made a new health data key for this database (kept in the %s).", where)
    vault = HealthVault(key, _status(where, store))
    with database.write() as session:
        ours = _claim_key_check(session, vault)
    if not ours:
        return _lost_the_race(database, store, key, made)
    if where == "file":
        log.warning(
            "No keyring on this computer: the health data key is kept in a file readable only "
            "by this user: %s",
            store.path,
        )
    seal_older_rows(database, vault)
    return vault


def _lost_the_race(database: UnitOfWork, store: KeyStore, key: bytes, made: bool) -> HealthVault:
    """Another terminal's key check was written first and our key does not open it. A key we
    have just made is dropped (it sealed nothing); the key kept here now may be the winner's
    (another program on this computer saved it): it is used if it opens the database. Else the
    vault is locked until the owner imports the shop's key."""
    if made:
        store.delete(key)
        log.error(
            "Another terminal made this database's health data key first; the key made here "
            "was dropped. Import the shop's key from that terminal."
        )
    else:
        log.error("The health data key on this computer does not open this database.")
    stored, where = store.load()
    if stored is not None and stored != key:
        with database.read() as session:
            if _verdict(session, stored):
                return HealthVault(stored, _status(where, store))
    problem = KEY_MISSING if made else KEY_WRONG
    return HealthVault(None, VaultStatus(where="" if made else where, problem=DomainError(problem)))


def seal_older_rows(database: UnitOfWork, vault: HealthVault) -> int:
    """Seal the plain substance/notes of allergies written by older versions and empty the
    plain columns, in one unit of work (idempotent: sealed rows are left alone); then, on
    SQLite, VACUUM and truncate the WAL so the old plain text is not left in free pages.
    The number of rows sealed."""
    if not vault.ready:
        return 0
    with database.write() as session:
        sealed = _seal_rows(session, vault)
    if sealed:
        scrub_free_pages(database)
        log.info("Sealed %d health entries written by an older version.", sealed)
    return sealed


def _seal_rows(session: Session, vault: HealthVault) -> int:
    rows = session.scalars(
        select(Allergy).where(or_(Allergy.substance != "", Allergy.notes != ""))
    ).all()
    for row in rows:
        if row.substance_sealed is None or row.substance:
            row.substance_sealed = vault.seal(row.substance)
        if row.notes_sealed is None or row.notes:
            row.notes_sealed = vault.seal(row.notes)
        row.substance = ""
        row.notes = ""
    if rows:
        record(
            session,
            at=_now(),
            action="health.older_rows_sealed",
            entity="allergy",
            detail=f"{len(rows)} rows",
        )
    return len(rows)


def _now() -> datetime:
    return datetime.now(UTC)


def scrub_free_pages(database: UnitOfWork) -> None:
    """SQLite: rebuild the file (VACUUM) and empty the WAL, so deleted text leaves no trace in
    free pages. A no-op for PostgreSQL (its own VACUUM reclaims space in time)."""
    if sqlite_path(database.engine.url) is None:
        return
    raw = database.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        driver.execute("VACUUM")
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


# -- export and restore (the owner) ------------------------------------------------------------


class HealthKeyService:
    """The owner's export and restore of the health data key (MANAGE_HEALTH_KEY)."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        vault: HealthVault,
        *,
        key_dir: Path | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._vault = vault
        self._store = KeyStore(database_id(uow.engine.url), key_dir or default_key_dir())

    @property
    def status(self) -> VaultStatus:
        return self._vault.status

    @writes
    def export_text(self, by: SignedIn) -> str:
        """The key as text, to keep in a file or on paper; the export is audited."""
        by.require(Permission.MANAGE_HEALTH_KEY)
        text = key_text(self._vault.key())
        with self._uow.write() as session:
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                action="health_key.exported",
                entity="shop",
            )
        return text

    def export_file(self, path: Path, by: SignedIn) -> None:
        """Write the key to `path` (0600)."""
        text = self.export_text(by)
        write_private_text(path, text + "\n")

    def export_pdf(self, path: Path, by: SignedIn, words: KeySheetWords | None = None) -> None:
        """Write the key on one page, as a QR code and as text, to `path` (0600)."""
        from printing.key_sheet import KeySheetWords, render_key_sheet  # reportlab when needed

        text = self.export_text(by)
        write_private_bytes(path, render_key_sheet(text, words or KeySheetWords()))

    def restore(self, text: str, by: SignedIn) -> VaultStatus:
        """Install the key in `text` (a key file's content or typed from paper) for this
        database on this computer: refused unless it opens this database's sealed data.
        Older plain rows are sealed with it in the same unit of work."""
        by.require(Permission.MANAGE_HEALTH_KEY)
        key = parse_key_text(text)

        def work() -> tuple[VaultStatus, int]:
            with self._uow.write() as session:
                if not _verdict(session, key):
                    raise ValidationError("key_text", KEY_DOES_NOT_OPEN)
                status = _status(self._store.save(key), self._store)
                self._vault.install(key, status)
                ensure_key_check(session, self._vault)
                record(
                    session,
                    at=self._clock.now(),
                    staff_id=by.staff_id,
                    action="health_key.restored",
                    entity="shop",
                )
                return status, _seal_rows(session, self._vault)

        status, sealed = self._uow.run(work)
        if sealed:
            scrub_free_pages(self._uow)
        return status
