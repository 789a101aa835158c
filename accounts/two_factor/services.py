"""Two-factor login: an authenticator app (TOTP) per user, plus ten recovery codes (static tokens).

django-otp keeps the devices and throttles wrong codes per device (1, 2, 4, 8 … seconds after each one).
"""

from base64 import b32encode
from dataclasses import dataclass

import segno
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, TwoFactorPolicy, User
from accounts.roles import Role

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def has_two_factor(user) -> bool:
    """Whether the user has a confirmed device: the login then asks for a code. One query."""
    if user is None or user.pk is None:
        return False
    return User.objects.filter(pk=user.pk).filter(_has_device(OuterRef("pk"))).exists()


def _has_device(user_ref):
    return Exists(TOTPDevice.objects.filter(user=user_ref, confirmed=True)) | Exists(
        StaticDevice.objects.filter(user=user_ref, confirmed=True)
    )


def memberships_with_two_factor(*, workspace):
    """The workspace's memberships with their users, each annotated `has_two_factor`."""
    return (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .annotate(has_two_factor=_has_device(OuterRef("user_id")))
    )


def two_factor_required(*, membership) -> bool:
    """Whether the member's workspace requires a second factor of their role."""
    policy = membership.workspace.two_factor_policy
    return policy == TwoFactorPolicy.EVERYONE or (policy == TwoFactorPolicy.ADMINS and membership.role == Role.ADMIN)


@dataclass(frozen=True)
class TwoFactorStatus:
    app: TOTPDevice | None  # the confirmed authenticator app
    recovery_codes_left: int

    @property
    def on(self) -> bool:
        return self.app is not None


def two_factor_status(*, user) -> TwoFactorStatus:
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return TwoFactorStatus(app=app, recovery_codes_left=left)


def app_setup_start(*, user) -> TOTPDevice:
    """A new, unconfirmed authenticator app with a fresh secret; an earlier unfinished set-up is dropped."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def app_being_set_up(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def app_setup_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with its first code; -> the ten new recovery codes, or None when the code is wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(_normalised(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        return recovery_codes_new(user=device.user)


def recovery_codes_new(*, user) -> list[str]:
    """Replace the user's recovery codes with ten new ones; each works once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        return codes


def two_factor_off(*, user) -> None:
    """Remove the app and the recovery codes: the login asks for the password only."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


@dataclass(frozen=True)
class CodeCheck:
    device: TOTPDevice | StaticDevice | None  # the device that accepted the code
    wait_seconds: int = 0  # > 0: every device that could take it is throttled after wrong codes

    @property
    def ok(self) -> bool:
        return self.device is not None


def code_check(*, user, code: str) -> CodeCheck:
    """Check a 6-digit app code or a recovery code (used up when it matches) against the user's devices."""
    code = _normalised(code)
    model = TOTPDevice if (code.isdigit() and len(code) == 6) else StaticDevice
    wait = 0
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            seconds = throttled_for(device)
            if seconds:
                wait = max(wait, seconds)
                continue
            if device.verify_token(code):
                return CodeCheck(device=device)
            wait = 0  # checked and wrong: the error is the code, not the wait
    return CodeCheck(device=None, wait_seconds=wait)


def throttled_for(device) -> int:
    """Seconds before the device checks a code again after wrong ones (django-otp's throttle); 0: now."""
    allowed, why = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (why or {}).get("locked_until")
    return int((locked_until - timezone.now()).total_seconds()) + 1 if locked_until else 1


def _normalised(code: str) -> str:
    """Codes as people type them: spaces and dashes dropped, recovery codes in any case."""
    return "".join(ch for ch in (code or "") if ch not in " -\t").lower()


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for an app set up by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The app's set-up address as a QR code in SVG markup (no inline style: the page's CSP forbids it)."""
    qr = segno.make(device.config_url, error="m")
    # segno's own markup of our own address: nothing a user typed goes into it as text.
    return mark_safe(qr.svg_inline(scale=4, border=2, light="#fff", svgclass="qr-code", title="QR code to scan"))
