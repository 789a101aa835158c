"""Devices for the two-factor tests, and the code an authenticator app would show."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import services


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator app for `user` as the profile page does; -> (the device, the recovery codes)."""
    device = services.app_setup_start(user=user)
    codes = services.app_setup_confirm(device=device, code=code_now(device))
    device.refresh_from_db()
    return device, codes


def code_now(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The app's code at this moment (`steps_ahead` 30-second steps later: a code not used yet)."""
    device.refresh_from_db()
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):0{device.digits}d}"
    )
