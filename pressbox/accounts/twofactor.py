"""Two-step sign-in: a code from an authenticator app (TOTP), on django-otp (issue 8).

Optional, per account, turned on from /dashboard/profile/security/. Setting up makes an
unconfirmed `TOTPDevice`; it counts only once a code from the app has proved the app
holds the secret (`totp_setup_confirm`), which also hands out ten single-use recovery
codes (a django-otp `StaticDevice`) for a lost phone. From then on the dashboard's login
asks for a code after the password. An administrator can remove someone's devices in
the admin (OTP → TOTP devices) when both the phone and the codes are lost.

The cryptography (RFC 6238, the clock tolerance of one step, refusing a code already
used) is django-otp's; wrong codes are counted by the login throttle like wrong
passwords, on top of django-otp's own per-device back-off.
"""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import quote, urlencode

import segno
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pressbox.accounts.models import User

RECOVERY_CODE_COUNT = 10


class TwoFactorError(Exception):
    """A code that does not prove what it should; the message says so to the person."""


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enabled_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_setup_start(*, user: User) -> TOTPDevice:
    """The device being set up: the unconfirmed one already shown, or a new secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_setup_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Turn two-step sign-in on if `code` comes from the app; return new recovery codes."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token(_digits(code)):
            raise TwoFactorError(
                "This code does not match. Check that the app shows this site's entry and "
                "that your phone's clock is right, then type the code it shows now."
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        return recovery_codes_renew(user=device.user)


def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new single-use codes; the earlier ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_disable(*, user: User) -> None:
    """Back to the password alone: every device and recovery code goes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def two_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts `code` (the app's six digits, or a recovery code, which is
    then used up), or None."""
    code = "".join(code.split()).replace("-", "").lower()
    with transaction.atomic():  # the lock makes two requests unable to use one code twice
        if code.isdigit():
            devices: list[Device] = list(
                TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
            )
        else:
            devices = list(
                StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
            )
        return next((d for d in devices if d.verify_token(code)), None)


def _digits(code: str) -> str:
    return "".join(code.split())


def secret_text(device: TOTPDevice) -> str:
    """The secret as an app's "enter a key" screen wants it, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_uri(device: TOTPDevice, *, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    issuer = issuer.replace(":", "").strip() or "Pressbox"
    label = quote(f"{issuer}:{device.user.get_username()}")
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode().rstrip("="),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{params}"


def qr_svg(data: str) -> SafeString:
    """`data` as an inline SVG QR code, dark on white whatever the colour scheme."""
    svg = segno.make(data, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title="QR code for your authenticator app"
    )
    return mark_safe(svg)  # noqa: S308  (only path data and the fixed title above)
