"""Where the media library's files go: the local disk by default, an S3-compatible store with MEDIA_STORAGE=s3,
and never a public address of the site."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[2]
SHOW_STORAGE = (
    "from django.core.files.storage import storages; s = storages['default']; "
    "print(type(s).__module__, type(s).__name__, s.bucket_name, s.endpoint_url, s.default_acl, s.querystring_auth)"
)


def _shell(command: str, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MEDIA_STORAGE"))}
    base["DJANGO_SETTINGS_MODULE"] = "smm.settings"
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {command}"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_media_storage_s3_keeps_the_files_private_in_the_bucket():
    result = _shell(
        SHOW_STORAGE,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="brand-media",
        AWS_S3_ENDPOINT_URL="https://s3.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3",
        "S3Storage",
        "brand-media",
        "https://s3.example",
        "private",
        "True",
    ]


def test_an_unknown_media_storage_stops_the_start_up():
    result = _shell("print(1)", MEDIA_STORAGE="ftp")
    assert result.returncode != 0 and "MEDIA_STORAGE must be 'local' or 's3'" in result.stderr


@pytest.mark.parametrize("path", ["/media/media-library/1/abc.png", "/media/"])
def test_nothing_is_served_from_media_url(path):
    with pytest.raises(Resolver404):
        resolve(path)
