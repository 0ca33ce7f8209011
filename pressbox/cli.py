"""The `pressbox` command: Django's manage.py under the project's name.

A bad PRESSBOX_* setting is reported as one sentence and exit status 2, not a traceback.
"""

from __future__ import annotations

import os
import sys

from pressbox.lib.env import ConfigError


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressbox.settings")
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018  (loads and validates the settings)
    except ConfigError as exc:
        sys.stderr.write(f"pressbox: {exc}\n")
        sys.exit(2)
    execute_from_command_line(["pressbox", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
