"""The `pressbox` command stops on a bad PRESSBOX_* value with one sentence and exit 2.

This drives the installed entry point in a fresh process, as an owner would, so the
settings module really is imported from the environment (pressbox.lib.env + settings.py).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PRESSBOX = Path(sys.executable).parent / "pressbox"


def run_check(tmp_path, **overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSBOX_")}
    env.update(PRESSBOX_DATA_DIR=str(tmp_path / "data"), **overrides)
    return subprocess.run(
        [str(PRESSBOX), "check"], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PRESSBOX_DEBUG", "maybe"),
        ("PRESSBOX_DATABASE_URL", "mysql://x"),
        ("PRESSBOX_TIME_ZONE", "Mars/Base"),
    ],
)
def test_bad_setting_exits_2_with_one_line_naming_it(tmp_path, variable, value):
    result = run_check(tmp_path, **{variable: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_good_settings_pass_the_system_check(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert (tmp_path / "data" / "secret_key").exists()
