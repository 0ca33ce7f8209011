"""docs/configuration.md lists every PRESSBOX_* variable the code reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_variable_read_by_the_code_is_documented():
    code = "\n".join(
        p.read_text() for p in (ROOT / "pressbox").rglob("*.py") if "tests" not in p.parts
    )
    used = set(re.findall(r'"(PRESSBOX_[A-Z_]+)"', code))
    documented = set(
        re.findall(r"`(PRESSBOX_[A-Z_]+)`", (ROOT / "docs" / "configuration.md").read_text())
    )
    assert used, "no variables found: the pattern is wrong"
    assert used <= documented, f"undocumented: {sorted(used - documented)}"
