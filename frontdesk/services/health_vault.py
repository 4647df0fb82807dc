"""Health data sealed at rest: AES-GCM (the `cryptography` package) under one shop key.

Allergies, contraindications, patch tests and treatment notes are stored sealed: a random
12-byte nonce, then the ciphertext and its tag. The key is 32 random bytes; where it is kept
(the OS keyring, or a key file readable by its owner only) is `open_vault`'s business.

Placeholder for issue 9's lanes: `HealthVault` is real; `open_vault` (key storage) is the vault
lane's and replaces the per-process key below.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from frontdesk.domain.errors import DomainError

KEY_BYTES = 32
NONCE_BYTES = 12
#: Bound into every seal: a sealed value of another program or purpose does not open here.
_PURPOSE = b"frontdesk-health-v1"


class VaultError(DomainError):
    """A sealed value that does not open with this shop's key (a wrong or lost key)."""


class HealthVault:
    """Seals and opens health text with the shop's key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("a health vault key is 32 bytes")
        self._aead = AESGCM(key)

    @staticmethod
    def new_key() -> bytes:
        return AESGCM.generate_key(bit_length=KEY_BYTES * 8)

    def seal(self, text: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, text.encode("utf-8"), _PURPOSE)

    def unseal(self, sealed: bytes) -> str:
        try:
            plain = self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _PURPOSE)
        except (InvalidTag, ValueError) as exc:
            raise VaultError(
                "Health data cannot be read with this computer's key. Restore the shop's key "
                "(Back office, Health data key)."
            ) from exc
        return plain.decode("utf-8")


def open_vault() -> HealthVault:
    """The shop's vault. PLACEHOLDER (the vault lane replaces it): a key for this process only."""
    return HealthVault(HealthVault.new_key())
