"""pressbox.lib.urls: PRESSBOX_CACHE_URL and PRESSBOX_EMAIL_URL to Django settings."""

from pathlib import Path

import pytest

from pressbox.lib.env import ConfigError
from pressbox.lib.urls import cache_config, email_config

DEFAULT = Path("/data/default")


def test_cache_defaults_to_files_in_the_data_dir():
    config = cache_config("PRESSBOX_CACHE_URL", "", default_dir=DEFAULT)
    assert config["BACKEND"] == "pressbox.lib.filecache.FileCache"
    assert config["LOCATION"] == "/data/default"


@pytest.mark.parametrize(
    "url", ["redis://localhost:6379/1", "rediss://cache.example:6380/0", "unix:///run/r.sock"]
)
def test_cache_redis_urls_use_django_redis_cache(url):
    config = cache_config("PRESSBOX_CACHE_URL", url, default_dir=DEFAULT)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == url
    # An unreachable Redis costs seconds, never a hung worker.
    assert config["OPTIONS"] == {"socket_connect_timeout": 2.0, "socket_timeout": 2.0}


def test_cache_file_url_names_the_directory():
    config = cache_config("PRESSBOX_CACHE_URL", "file:///var/cache/my%20blog", default_dir=DEFAULT)
    assert config["BACKEND"] == "pressbox.lib.filecache.FileCache"
    assert config["LOCATION"] == "/var/cache/my blog"


def test_cache_file_url_without_a_path_is_rejected():
    with pytest.raises(ConfigError, match="PRESSBOX_CACHE_URL must name a directory"):
        cache_config("PRESSBOX_CACHE_URL", "file://", default_dir=DEFAULT)


@pytest.mark.parametrize(("url", "backend"), [("locmem://", "locmem"), ("dummy://", "dummy")])
def test_cache_in_process_backends(url, backend):
    config = cache_config("PRESSBOX_CACHE_URL", url, default_dir=DEFAULT)
    assert config["BACKEND"].startswith(f"django.core.cache.backends.{backend}.")


def test_cache_unknown_scheme_is_rejected_naming_the_variable():
    with pytest.raises(ConfigError, match="PRESSBOX_CACHE_URL must start with redis://"):
        cache_config("PRESSBOX_CACHE_URL", "memcached://127.0.0.1", default_dir=DEFAULT)


def test_email_defaults_to_files_in_the_data_dir():
    config = email_config("PRESSBOX_EMAIL_URL", "", default_dir=DEFAULT)
    assert config["EMAIL_BACKEND"].endswith("filebased.EmailBackend")
    assert config["EMAIL_FILE_PATH"] == "/data/default"


def test_email_smtp_url_carries_credentials_port_and_starttls():
    url = "smtp://me%40blog.example:p%2Fss@mail.example:587?tls=1"
    config = email_config("PRESSBOX_EMAIL_URL", url, default_dir=DEFAULT)
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mail.example", 587)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("me@blog.example", "p/ss")
    assert config["EMAIL_USE_TLS"] is True
    assert config["EMAIL_USE_SSL"] is False


def test_email_smtp_defaults_to_port_25_without_tls():
    config = email_config("PRESSBOX_EMAIL_URL", "smtp://mail.example", default_dir=DEFAULT)
    assert config["EMAIL_PORT"] == 25
    assert config["EMAIL_USE_TLS"] is False


def test_email_smtps_uses_implicit_tls_on_port_465():
    config = email_config("PRESSBOX_EMAIL_URL", "smtps://mail.example", default_dir=DEFAULT)
    assert config["EMAIL_PORT"] == 465
    assert config["EMAIL_USE_SSL"] is True


def test_email_smtp_without_a_host_is_rejected():
    with pytest.raises(ConfigError, match="PRESSBOX_EMAIL_URL must name a host"):
        email_config("PRESSBOX_EMAIL_URL", "smtp://", default_dir=DEFAULT)


def test_email_smtp_with_a_word_for_a_port_is_rejected():
    with pytest.raises(ConfigError, match="PRESSBOX_EMAIL_URL has a port that is not a number"):
        email_config("PRESSBOX_EMAIL_URL", "smtp://mail.example:abc", default_dir=DEFAULT)


def test_email_file_url_writes_into_the_named_directory():
    config = email_config("PRESSBOX_EMAIL_URL", "file:///var/mail/blog", default_dir=DEFAULT)
    assert config["EMAIL_BACKEND"].endswith("filebased.EmailBackend")
    assert config["EMAIL_FILE_PATH"] == "/var/mail/blog"


def test_email_console_url_prints_messages():
    config = email_config("PRESSBOX_EMAIL_URL", "console://", default_dir=DEFAULT)
    assert config == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_email_unknown_scheme_is_rejected_naming_the_variable():
    with pytest.raises(ConfigError, match="PRESSBOX_EMAIL_URL must start with smtp://"):
        email_config("PRESSBOX_EMAIL_URL", "sendmail:///usr/sbin/sendmail", default_dir=DEFAULT)
