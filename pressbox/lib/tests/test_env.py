"""pressbox.lib.env: each reader rejects a bad value with a sentence naming the variable."""

import os
import stat
import subprocess
import sys

import pytest

from pressbox.lib.env import ConfigError, env_bool, env_int, env_list, env_secret, env_url


@pytest.mark.parametrize("raw", ["1", "true", "Yes", " ON "])
def test_env_bool_reads_true_spellings(monkeypatch, raw):
    monkeypatch.setenv("PRESSBOX_FLAG", raw)
    assert env_bool("PRESSBOX_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_env_bool_reads_false_spellings(monkeypatch, raw):
    monkeypatch.setenv("PRESSBOX_FLAG", raw)
    assert env_bool("PRESSBOX_FLAG", True) is False


def test_env_bool_falls_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("PRESSBOX_FLAG", raising=False)
    assert env_bool("PRESSBOX_FLAG", True) is True


def test_env_bool_rejects_maybe_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PRESSBOX_FLAG", "maybe")
    with pytest.raises(ConfigError, match="PRESSBOX_FLAG.*'maybe'"):
        env_bool("PRESSBOX_FLAG")


def test_env_int_reads_a_whole_number_and_defaults_when_blank(monkeypatch):
    monkeypatch.setenv("PRESSBOX_N", " 42 ")
    assert env_int("PRESSBOX_N", 1) == 42
    monkeypatch.setenv("PRESSBOX_N", "  ")
    assert env_int("PRESSBOX_N", 7) == 7


def test_env_int_rejects_words_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PRESSBOX_N", "ten")
    with pytest.raises(ConfigError, match="PRESSBOX_N must be a whole number"):
        env_int("PRESSBOX_N", 1)


def test_env_int_rejects_a_value_below_the_minimum(monkeypatch):
    monkeypatch.setenv("PRESSBOX_N", "0")
    with pytest.raises(ConfigError, match="PRESSBOX_N must be at least 1"):
        env_int("PRESSBOX_N", 5, minimum=1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("PRESSBOX_HOSTS", " a.example, ,b.example ")
    assert env_list("PRESSBOX_HOSTS", []) == ["a.example", "b.example"]


def test_env_url_accepts_an_allowed_scheme(monkeypatch):
    monkeypatch.setenv("PRESSBOX_DB", "postgres://u@h/db")
    assert env_url("PRESSBOX_DB", "", schemes={"postgres"}) == "postgres://u@h/db"


def test_env_url_returns_an_empty_default_untouched(monkeypatch):
    monkeypatch.delenv("PRESSBOX_DB", raising=False)
    assert env_url("PRESSBOX_DB", "", schemes={"postgres"}) == ""


def test_env_url_rejects_another_scheme_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PRESSBOX_DB", "mysql://x")
    with pytest.raises(ConfigError, match="PRESSBOX_DB must start with one of postgres://"):
        env_url("PRESSBOX_DB", "", schemes={"postgres"})


def test_env_secret_prefers_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("PRESSBOX_KEY", " s3cret ")
    assert env_secret("PRESSBOX_KEY", generate_into=tmp_path / "key") == "s3cret"
    assert not (tmp_path / "key").exists()


def test_env_secret_reads_the_file_named_by_file_variable(monkeypatch, tmp_path):
    monkeypatch.delenv("PRESSBOX_KEY", raising=False)
    (tmp_path / "key.txt").write_text("from-a-file\n")
    monkeypatch.setenv("PRESSBOX_KEY_FILE", str(tmp_path / "key.txt"))
    assert env_secret("PRESSBOX_KEY") == "from-a-file"


def test_env_secret_names_file_variable_when_its_file_is_missing(monkeypatch, tmp_path):
    monkeypatch.delenv("PRESSBOX_KEY", raising=False)
    monkeypatch.setenv("PRESSBOX_KEY_FILE", str(tmp_path / "absent"))
    with pytest.raises(ConfigError, match="PRESSBOX_KEY_FILE names .*cannot be read"):
        env_secret("PRESSBOX_KEY")


def test_env_secret_names_file_variable_when_its_file_is_empty(monkeypatch, tmp_path):
    monkeypatch.delenv("PRESSBOX_KEY", raising=False)
    (tmp_path / "empty").write_text("\n")
    monkeypatch.setenv("PRESSBOX_KEY_FILE", str(tmp_path / "empty"))
    with pytest.raises(ConfigError, match="PRESSBOX_KEY_FILE names .*empty"):
        env_secret("PRESSBOX_KEY")


def test_env_secret_generates_a_private_key_file_once(monkeypatch, tmp_path):
    monkeypatch.delenv("PRESSBOX_KEY", raising=False)
    monkeypatch.delenv("PRESSBOX_KEY_FILE", raising=False)
    target = tmp_path / "nested" / "secret_key"
    first = env_secret("PRESSBOX_KEY", generate_into=target)
    assert len(first) >= 50
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert env_secret("PRESSBOX_KEY", generate_into=target) == first


def test_env_secret_without_a_fallback_says_the_variable_must_be_set(monkeypatch):
    monkeypatch.delenv("PRESSBOX_KEY", raising=False)
    monkeypatch.delenv("PRESSBOX_KEY_FILE", raising=False)
    with pytest.raises(ConfigError, match=r"PRESSBOX_KEY \(or PRESSBOX_KEY_FILE\) must be set"):
        env_secret("PRESSBOX_KEY")


def test_processes_starting_at_once_all_get_the_one_key_written(tmp_path):
    # A server and a command (or two workers) started together on a new data directory:
    # every one reads the same key, and no half-written file is ever read.
    target = tmp_path / "data" / "secret_key"
    script = (
        "import sys; from pathlib import Path; from pressbox.lib.env import env_secret; "
        f"print(env_secret('PRESSBOX_UNSET_KEY', generate_into=Path({str(target)!r})))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PRESSBOX_UNSET_KEY"}
    runs = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    keys = {run.communicate(timeout=60)[0].strip() for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert keys == {target.read_text().strip()}
    assert len(keys.pop()) > 40
    assert [p.name for p in target.parent.iterdir()] == ["secret_key"]  # no temporary left
