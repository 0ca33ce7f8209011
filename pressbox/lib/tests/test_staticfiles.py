"""Static files compressed once, not at every start of `pressbox serve` (issue 7)."""

import os
import time

import brotli
import pytest
from django.core.management import call_command
from whitenoise.compress import Compressor

OTHER_APPS = ["admin", "django_otp", "otp_*", "pressbox"]


@pytest.fixture
def collect(settings, tmp_path, monkeypatch):
    source = tmp_path / "source"
    source.mkdir()
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "pressbox.lib.staticfiles.CompressedOnceStaticFilesStorage"},
    }
    compressed = []
    real = Compressor.compress_brotli

    def counting(data):
        compressed.append(data)
        return real(data)

    monkeypatch.setattr(Compressor, "compress_brotli", staticmethod(counting))

    def run():
        compressed.clear()
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=OTHER_APPS)
        return list(compressed)

    return source, settings.STATIC_ROOT, run


def test_a_file_is_compressed_once_then_again_only_when_it_changes(collect):
    source, root, run = collect
    (source / "tool.js").write_text("function squat() { return 'slowly'; }\n" * 50)
    first = run()
    assert len(first) == 1  # tool.js and tool.<hash>.js hold the same bytes
    assert {p.name for p in root.glob("tool*.br")} == {
        "tool.js.br",
        next(root.glob("tool.*.js")).name + ".br",
    }
    assert run() == []  # the next start of `pressbox serve`
    (source / "tool.js").write_text("function lunge() { return 'deep'; }\n" * 50)
    later = time.time() + 5  # collectstatic compares times to the second
    os.utime(source / "tool.js", (later, later))
    changed = run()
    assert len(changed) == 1
    assert (
        brotli.decompress((root / "tool.js.br").read_bytes()) == (source / "tool.js").read_bytes()
    )


def test_a_file_replaced_by_another_collecting_process_is_left_to_it(tmp_path):
    from pressbox.lib.staticfiles import OnceCompressor

    # Two `pressbox serve` starting at once on one data dir: the other one deleted the
    # file this one was about to compress (collectstatic deletes, then saves again).
    compressor = OnceCompressor(use_gzip=True, use_brotli=True, quiet=True)
    assert compressor.compress(str(tmp_path / "theme.0123456789ab.css")) == []
