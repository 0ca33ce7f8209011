"""Dashboard routes: accounts section (names live in the dashboard namespace).

Passwords and invitations (anyone with the emailed link), the users list for
administrators, your profile, the site settings, and the privacy tools (views/privacy.py).
"""

from django.urls import path

from pressbox.dashboard.views import accounts, privacy, profile, security, site_settings, users

urlpatterns = [
    path("password-reset/", accounts.password_reset, name="password-reset"),
    path("password-reset/done/", accounts.password_reset_done, name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        accounts.password_reset_complete,
        name="password-reset-complete",
    ),
    path("invitation/<uidb64>/<token>/", accounts.invitation, name="invitation"),
    path("users/", users.user_list, name="user-list"),
    path("users/invite/", users.user_invite_view, name="user-invite"),
    path("users/<int:pk>/role/", users.user_role, name="user-role"),
    path("users/<int:pk>/deactivate/", users.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", users.user_reactivate, name="user-reactivate"),
    path(
        "users/<int:pk>/resend-invitation/",
        users.user_resend_invitation,
        name="user-resend-invitation",
    ),
    path("profile/", profile.profile, name="profile"),
    path("profile/password/", accounts.password_change, name="password-change"),
    path("profile/security/", security.security, name="security"),
    path("profile/security/two-factor/", security.two_factor_setup, name="two-factor-setup"),
    path("profile/security/two-factor/off/", security.two_factor_off, name="two-factor-off"),
    path(
        "profile/security/recovery-codes/",
        security.recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("settings/", site_settings.site_settings, name="settings"),
    path("privacy/", privacy.privacy, name="privacy"),
]
