"""Platform tokens are encrypted at rest with Fernet; the key comes from the environment."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> Fernet:
    key = settings.TOKEN_ENCRYPTION_KEY
    if not key:
        # Development only (settings refuse to start without a key when DEBUG is off):
        # a stable key derived from SECRET_KEY, so a dev database stays readable.
        key = base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest()).decode()
    try:
        return Fernet(key)
    except ValueError as error:
        raise ImproperlyConfigured("TOKEN_ENCRYPTION_KEY must be 32 url-safe base64-encoded bytes.") from error


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    """The plain text, or raise ValueError when the key changed or the value was tampered with."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("The stored token cannot be decrypted with the current TOKEN_ENCRYPTION_KEY.") from error


def hint(plain: str) -> str:
    """What the page may show of a secret: its last four characters."""
    return f"…{plain[-4:]}" if len(plain) > 8 else "…"
