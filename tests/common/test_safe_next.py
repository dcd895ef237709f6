"""Forms send people back only to this site."""

import pytest
from django.test import RequestFactory

from common.urls_safety import safe_next_url


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example", "javascript:alert(1)"],
)
def test_foreign_or_script_targets_fall_back(target):
    request = RequestFactory().post("/x/", {"next": target}, HTTP_HOST="127.0.0.1")
    assert safe_next_url(request, "/home/") == "/home/"


def test_a_local_path_is_kept():
    request = RequestFactory().post("/x/", {"next": "/contests/?page=2"}, HTTP_HOST="127.0.0.1")
    assert safe_next_url(request, "/home/") == "/contests/?page=2"
