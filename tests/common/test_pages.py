"""Site-wide pages: home, error pages, query budgets and the Chinese UI."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from common import views as common_views
from tests.factories import AgencyFactory, ContestFactory


@pytest.mark.django_db
def test_home_lists_open_contests_only(client):
    ContestFactory(title="Open for ideas")
    ContestFactory(title="Secret draft", draft=True)
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Open contests" in body
    assert "Open for ideas" in body
    assert "Secret draft" not in body


# --- error pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_page_renders_site_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "404.html" in [template.name for template in response.templates]


@pytest.mark.django_db
def test_forbidden_page_renders_site_403(client, citizen, agency):
    client.force_login(citizen)
    response = client.get(reverse("agencies:edit", args=[agency.slug]))
    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]
    assert "You do not have permission to do this." in response.content.decode()


@pytest.mark.django_db
def test_403_page_offers_sign_in_to_anonymous_visitors(rf):
    request = rf.get("/agencies/x/edit/")
    request.user = AnonymousUser()
    response = common_views.permission_denied(request)
    assert response.status_code == 403
    assert "/accounts/login/?next=/agencies/x/edit/" in response.content.decode()


def test_500_handler_renders_without_database():
    # No django_db mark: any query would raise, so this proves the page needs no database.
    request = RequestFactory().get("/")
    response = common_views.server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_400_handler_renders():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = common_views.bad_request(request)
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.django_db
def test_unhandled_error_uses_500_handler(client, settings, monkeypatch):
    settings.DEBUG = False
    client.raise_request_exception = False

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("contests.selectors.contest_list_open", explode)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "boom" not in response.content.decode()


# --- query budgets --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("agency_count", [3, 30])
def test_agency_list_queries_do_not_grow_with_agencies(client, django_assert_max_num_queries, agency_count):
    for agency in AgencyFactory.create_batch(agency_count):
        ContestFactory(agency=agency)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("agencies:list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == min(agency_count, 24)


@pytest.mark.django_db
@pytest.mark.parametrize("agency_count", [3, 30])
def test_agency_list_api_queries_do_not_grow_with_agencies(client, django_assert_max_num_queries, agency_count):
    AgencyFactory.create_batch(agency_count)
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/agencies/")
    assert response.json()["count"] == agency_count


# --- Chinese UI -----------------------------------------------------------------------------------


@pytest.fixture
def _restore_language():
    yield
    translation.activate("en")


@pytest.mark.django_db
@pytest.mark.usefixtures("_restore_language")
def test_accept_language_zh_hans_renders_chinese(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in body
    assert "进行中的征集活动" in body  # "Open contests"
    assert "用您的想法塑造公共政策" in body
    assert "Open contests" not in body


@pytest.mark.django_db
@pytest.mark.usefixtures("_restore_language")
def test_accept_language_zh_cn_falls_back_to_simplified_chinese(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert "进行中的征集活动" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("_restore_language")
def test_language_form_switches_to_chinese_and_back(client, settings):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("agencies:list")})
    assert response.status_code == 302
    assert response["Location"] == reverse("agencies:list")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = client.get(reverse("agencies:list")).content.decode()
    assert "<h1>机构</h1>" in page
    # One language control: a button for the other language, named in that language.
    assert 'name="language" value="en" lang="en"' in page and 'value="zh-hans" lang="zh-hans"' not in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "<h1>Agencies</h1>" in client.get(reverse("agencies:list")).content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("_restore_language")
def test_chinese_error_and_validation_messages(client, citizen, settings):
    settings.DEBUG = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "页面未找到" in client.get("/no/such/page/").content.decode()
    client.force_login(citizen)
    response = client.post(reverse("accounts:profile_edit"), {"display_name": "a@b"})
    assert "显示名称不能包含“@”" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("_restore_language")
def test_api_errors_follow_the_language(client):
    response = client.post(
        "/api/v1/auth/token/",
        {"email": "nobody@example.org", "password": "x"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "无法使用所提供的邮箱和密码登录。" in str(response.json())


@pytest.mark.django_db
def test_unknown_api_address_is_a_json_404(client, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_api_500_is_json():
    response = common_views.server_error(RequestFactory().get("/api/v1/agencies/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "detail" in json.loads(response.content)


@pytest.mark.django_db
def test_form_post_without_csrf_token_gets_the_site_403_page(citizen):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen)
    response = browser.post(reverse("accounts:profile_edit"), {"display_name": "Forged"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "403.html" in [template.name for template in response.templates]
    assert "reload the page" in body
    citizen.refresh_from_db()
    assert citizen.display_name == "Ada Citizen"
