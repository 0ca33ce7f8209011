"""Forms for signing in, passwords, invitations, roles and the author profile.

The dashboard renders them; the rules (throttling, what an avatar may be) live here so
every way in behaves the same.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.template import loader
from django_otp.models import Device
from PIL import Image, ImageOps, UnidentifiedImageError

from pressbox.accounts import throttle, twofactor
from pressbox.accounts.models import AuthorProfile, User
from pressbox.accounts.roles import Role
from pressbox.lib.mail import queue_email

AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is refused, 12 or 24 pass
AVATAR_SIDE = 512  # stored avatars are at most this wide and high
AVATAR_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
ROLE_CHOICES = [
    (Role.ADMINISTRATOR, "Administrator: users, settings and everything else"),
    (Role.EDITOR, "Editor: publishes and moderates anyone's posts and comments"),
    (Role.AUTHOR, "Author: writes and publishes their own posts"),
    (Role.CONTRIBUTOR, "Contributor: writes posts and submits them for review"),
]


class DescribedErrorsMixin:
    """Tie each field's error message (and help) to its input for screen readers."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            bound = self[name]  # type: ignore[index]
            ids = [f"{bound.auto_id}_error"]
            if bound.help_text:
                ids.insert(0, f"{bound.auto_id}_helptext")
            bound.field.widget.attrs["aria-describedby"] = " ".join(ids)


class LoginForm(DescribedErrorsMixin, AuthenticationForm):
    """Django's login form, refusing every attempt once an account or address has failed
    too often (see pressbox.accounts.throttle)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed attempts. Please wait 15 minutes, or reset your password.",
    }
    throttled = False

    def full_clean(self) -> None:
        super().full_clean()
        if self.non_field_errors():  # "wrong password" or "too many": say it at both inputs
            for name in ("username", "password"):
                self.fields[name].widget.attrs["aria-describedby"] = "login-errors"

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = throttle.client_ip(self.request)
        if throttle.login_blocked(username=username, ip=ip):
            self.throttled = True
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.login_failed(username=username, ip=ip)
            raise
        if self.user_cache is not None and not twofactor.two_factor_enabled(self.user_cache):
            # With two steps, only the right code clears the counter: otherwise the
            # password would buy a fresh set of guesses at the code.
            throttle.login_cleared(username=username)
        return cleaned


class TwoFactorLoginForm(DescribedErrorsMixin, forms.Form):
    """The second step of signing in: a code from the app, or a recovery code. Wrong
    codes count against the same throttle as wrong passwords."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The six digits your authenticator app shows for this site, "
        "or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )
    throttled = False

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request
        self.device: Device | None = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        username, ip = self.user.get_username(), throttle.client_ip(self.request)
        if throttle.login_blocked(username=username, ip=ip):
            self.throttled = True
            raise ValidationError(LoginForm.error_messages["throttled"], code="throttled")
        self.device = twofactor.two_factor_verify(user=self.user, code=code)
        if self.device is None:
            throttle.login_failed(username=username, ip=ip)
            raise ValidationError(
                "This code is not right. Type the code your app shows now, "
                "or one of your recovery codes.",
                code="wrong",
            )
        throttle.login_cleared(username=username)
        return code


class PasswordConfirmForm(DescribedErrorsMixin, forms.Form):
    """Your password again, before a change to how you sign in (so a session left open
    on a shared computer is not enough). Wrong answers count against the login throttle."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        username, ip = self.user.get_username(), throttle.client_ip(self.request)
        if throttle.login_blocked(username=username, ip=ip):
            raise ValidationError(LoginForm.error_messages["throttled"], code="throttled")
        if not self.user.check_password(password):
            throttle.login_failed(username=username, ip=ip)
            raise ValidationError("This is not your password.", code="wrong")
        return password


class TwoFactorSetupForm(PasswordConfirmForm):
    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        help_text="The six digits the app now shows for this site.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )
    field_order = ["code", "password"]


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form; the email waits in the task queue instead of going out inline,
    so a slow mail server neither delays the page nor tells whether the address exists."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        text = loader.render_to_string(email_template_name, context)
        queue_email(to=[to_email], subject=subject, text=text, kind="password-reset")


class NewPasswordForm(DescribedErrorsMixin, SetPasswordForm):
    """Choosing a password from an emailed link also lifts a login lock on the account."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        throttle.login_cleared(username=user.get_username())
        return user


class ChangePasswordForm(DescribedErrorsMixin, PasswordChangeForm):
    pass


class InviteForm(DescribedErrorsMixin, forms.Form):
    email = forms.EmailField(
        help_text="The invitation goes to this address; it is never shown on the site."
    )
    name = forms.CharField(max_length=200, help_text="Shown in bylines and author boxes.")
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Role.AUTHOR, widget=forms.RadioSelect)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("Someone with this email address already has an account.")
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ProfileForm(DescribedErrorsMixin, forms.ModelForm):
    avatar = forms.FileField(
        label="Picture",
        required=False,
        help_text="JPEG, PNG, GIF or WebP, up to 5 MB. It is shown square, 96 pixels wide.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )

    website = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text="A link under your bio, such as https://example.com/.",
    )

    class Meta:
        model = AuthorProfile
        fields = ["display_name", "bio", "website", "avatar", "notify_comments"]
        labels = {
            "display_name": "Display name",
            "bio": "Bio",
            "notify_comments": "Email me about new comments on my posts",
        }
        help_texts = {
            "display_name": "How readers see your name in bylines and author boxes.",
            "bio": "A few lines for the author box, in Markdown (**bold**, _italic_, [links](…)).",
            "notify_comments": "",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["avatar"].widget
        widget.initial_text = "Current picture"
        widget.input_text = "Replace with"
        widget.clear_checkbox_label = "Remove the picture"

    def clean_avatar(self) -> Any:
        value = self.cleaned_data.get("avatar")
        if not isinstance(value, UploadedFile):
            return value  # unchanged, or False to remove it
        name = self.instance.user.username if self.instance.user_id else "avatar"
        return avatar_from_upload(value, name=name)


def avatar_from_upload(upload: UploadedFile, *, name: str) -> ContentFile:
    """A validated upload re-encoded at most AVATAR_SIDE wide, without its metadata.

    Re-encoding drops EXIF (a phone photo's GPS position) and anything hidden after the
    image data. Pixel counts are checked before decoding, so a small file that claims
    to be enormous (a decompression bomb) is refused without using the memory.
    """
    if upload.size is not None and upload.size > AVATAR_MAX_BYTES:
        raise ValidationError("This picture is larger than 5 MB. Please upload a smaller one.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            image_format = image.format or ""
            if image_format not in AVATAR_FORMATS:
                raise ValidationError(
                    "Pictures must be JPEG, PNG, GIF or WebP images; this one is not."
                )
            if image.width * image.height > AVATAR_MAX_PIXELS:
                raise _too_many_pixels()
            image.draft("RGB", (AVATAR_SIDE, AVATAR_SIDE))  # JPEG decodes at a smaller scale
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        raise ValidationError(
            "This file is not a picture. Please upload a JPEG, PNG, GIF or WebP image."
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This picture is damaged or incomplete. Please save it again and re-upload it."
        ) from None
    return _reencode(image, image_format, name=name)


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        "This picture has too many pixels (the limit is 40 megapixels). "
        "Please upload a smaller one."
    )


def _reencode(image: Image.Image, image_format: str, *, name: str) -> ContentFile:
    image = ImageOps.exif_transpose(image)
    image.thumbnail((AVATAR_SIDE, AVATAR_SIDE))
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    options: dict[str, dict[str, Any]] = {
        "JPEG": {"quality": 88},
        "WEBP": {"quality": 88},
        "PNG": {"optimize": True},
    }
    image.save(out, format=image_format, **options.get(image_format, {}))
    return ContentFile(out.getvalue(), name=f"{name}.{AVATAR_FORMATS[image_format]}")
