"""Fast password hashing: login and password tests hash on every attempt, and the
production hasher is deliberately slow (a second per few attempts)."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
