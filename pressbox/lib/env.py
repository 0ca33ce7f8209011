"""Strict readers for PRESSBOX_* environment variables.

Every knob of Pressbox comes from the environment (docs/configuration.md lists them).
A bad value must stop start-up with one sentence naming the variable, so each helper
raises `ConfigError`, which `pressbox.cli` prints without a traceback.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ImproperlyConfigured):
    """A PRESSBOX_* variable holds a value Pressbox cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str, *, schemes: set[str]) -> str:
    """A URL whose scheme is one of `schemes` (the error names the variable)."""
    raw = env_str(name, default)
    if not raw:
        return raw
    parts = urlsplit(raw)
    if parts.scheme not in schemes:
        allowed = ", ".join(sorted(f"{s}://" for s in schemes))
        raise ConfigError(f"{name} must start with one of {allowed}, not {raw!r}.")
    return raw


def env_secret(name: str, *, generate_into: Path | None = None) -> str:
    """A secret from NAME, or from the file named by NAME_FILE, or generated once.

    When neither variable is set and `generate_into` is given, a random key is written
    there (mode 0600) on first start and read back afterwards, so sessions survive
    restarts without the owner having to invent a key.
    """
    if value := os.environ.get(name):
        return value.strip()
    if file_name := os.environ.get(f"{name}_FILE"):
        try:
            value = Path(file_name).read_text().strip()
        except OSError as exc:
            raise ConfigError(
                f"{name}_FILE names {file_name!r}, which cannot be read ({exc.strerror})."
            ) from None
        if not value:
            raise ConfigError(f"{name}_FILE names {file_name!r}, which is empty.")
        return value
    if generate_into is None:
        raise ConfigError(f"{name} (or {name}_FILE) must be set.")
    if generate_into.exists():
        return generate_into.read_text().strip()
    # Written whole under a temporary name, then linked into place: of two processes
    # starting at once (a server and a command, two workers), one key wins and the
    # other process reads it, never a half-written file.
    key = secrets.token_urlsafe(50)
    generate_into.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=generate_into.parent, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w") as handle:  # mkstemp's mode is 0600
            handle.write(key + "\n")
        os.link(temporary, generate_into)
    except FileExistsError:
        return generate_into.read_text().strip()
    finally:
        os.unlink(temporary)
    return key


def data_dir(name: str = "PRESSBOX_DATA_DIR", default: str = "./data") -> Path:
    path = Path(env_str(name, default) or default).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"{name} is {str(path)!r}, which cannot be created ({exc.strerror})."
        ) from None
    if not os.access(path, os.W_OK):
        raise ConfigError(f"{name} is {str(path)!r}, which is not writable.")
    return path
