"""Agency pages: the public list and profile, and who may change the profile and members."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from agencies.models import Agency, AgencyMembership
from tests.factories import AgencyFactory, ContestFactory, MembershipFactory, UserFactory

MANAGEMENT_PAGES = ["contests:agency_manage", "agencies:edit", "agencies:members"]


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _png_bytes(*, size=(40, 30), text_chunk: str = "") -> bytes:
    info = PngImagePlugin.PngInfo()
    if text_chunk:
        info.add_text("Comment", text_chunk)
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


@pytest.fixture
def manager_of_b(other_agency):
    return MembershipFactory(agency=other_agency, role="manager", user__display_name="Bea B").user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- public pages -------------------------------------------------------------------


@pytest.mark.django_db
def test_agency_list_is_public_and_lists_agencies(client, agency, other_agency):
    response = client.get(reverse("agencies:list"))
    assert response.status_code == 200
    assert "City Water" in response.content.decode()
    assert "Transport" in response.content.decode()


@pytest.mark.django_db
def test_agency_list_counts_only_published_contests(client, agency):
    ContestFactory(agency=agency)
    ContestFactory(agency=agency, draft=True)
    response = client.get(reverse("agencies:list"))
    assert "1 contest<" in response.content.decode()


@pytest.mark.django_db
def test_agency_detail_is_public_and_hides_drafts(client, agency):
    ContestFactory(agency=agency, title="Public challenge")
    ContestFactory(agency=agency, title="Secret draft", draft=True)
    response = client.get(agency.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Public challenge" in body
    assert "Secret draft" not in body
    assert reverse("agencies:edit", args=[agency.slug]) not in body


@pytest.mark.django_db
def test_unknown_agency_is_404(client):
    assert client.get("/agencies/nobody/").status_code == 404


@pytest.mark.django_db
def test_agency_detail_shows_management_links_to_its_admin(client, agency, agency_admin):
    client.force_login(agency_admin)
    body = client.get(agency.get_absolute_url()).content.decode()
    assert reverse("agencies:edit", args=[agency.slug]) in body
    assert reverse("contests:agency_manage", args=[agency.slug]) in body


# --- who may open the back office ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("page", MANAGEMENT_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, agency, page):
    url = reverse(page, args=[agency.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", MANAGEMENT_PAGES)
def test_manager_of_another_agency_gets_403(client, agency, manager_of_b, page):
    client.force_login(manager_of_b)
    response = client.get(reverse(page, args=[agency.slug]))
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", MANAGEMENT_PAGES)
def test_citizen_gets_403(client, agency, citizen, page):
    client.force_login(citizen)
    assert client.get(reverse(page, args=[agency.slug])).status_code == 403


@pytest.mark.django_db
def test_manager_of_b_cannot_post_to_agency_a(client, agency, manager_of_b, citizen):
    client.force_login(manager_of_b)
    edit = client.post(reverse("agencies:edit", args=[agency.slug]), {"name": "Hijacked"})
    add = client.post(reverse("agencies:members", args=[agency.slug]), {"email": manager_of_b.email, "role": "admin"})
    assert edit.status_code == add.status_code == 403
    agency.refresh_from_db()
    assert agency.name == "City Water"
    assert not agency.memberships.filter(user=manager_of_b).exists()


@pytest.mark.django_db
def test_manager_of_agency_sees_drafts_on_manage_page_but_cannot_edit(client, agency, agency_manager):
    ContestFactory(agency=agency, title="Secret draft", draft=True)
    client.force_login(agency_manager)
    response = client.get(reverse("contests:agency_manage", args=[agency.slug]))
    assert response.status_code == 200
    assert "Secret draft" in response.content.decode()
    assert client.get(reverse("agencies:edit", args=[agency.slug])).status_code == 403
    assert client.get(reverse("agencies:members", args=[agency.slug])).status_code == 403


# --- editing an agency ------------------------------------------------------------------


def _edit_data(**overrides):
    data = {"name": "City Water Board", "description": "Clean **water**.", "website": "https://water.example.gov"}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_admin_edits_agency_profile(client, agency, agency_admin):
    client.force_login(agency_admin)
    response = client.post(reverse("agencies:edit", args=[agency.slug]), _edit_data())
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.name == "City Water Board"
    assert agency.website == "https://water.example.gov"
    assert "The agency profile was saved." in _messages(response)


@pytest.mark.django_db
def test_logo_upload_is_accepted_and_re_encoded_without_metadata(client, agency, agency_admin):
    client.force_login(agency_admin)
    upload = SimpleUploadedFile("logo.png", _png_bytes(text_chunk="gps 52.52,13.40"), content_type="image/png")
    response = client.post(reverse("agencies:edit", args=[agency.slug]), _edit_data(logo=upload))
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.logo.name.endswith(".png")
    stored = agency.logo.read()
    assert b"gps 52.52" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert image.size == (40, 30)


@pytest.mark.django_db
def test_large_logo_is_scaled_down(client, agency, agency_admin):
    client.force_login(agency_admin)
    upload = SimpleUploadedFile("big.png", _png_bytes(size=(2048, 1024)), content_type="image/png")
    client.post(reverse("agencies:edit", args=[agency.slug]), _edit_data(logo=upload))
    agency.refresh_from_db()
    with Image.open(agency.logo) as image:
        assert max(image.size) == 1024


@pytest.mark.django_db
def test_fake_image_gets_a_form_error_and_changes_nothing(client, agency, agency_admin):
    client.force_login(agency_admin)
    fake = SimpleUploadedFile("logo.png", b"<?php echo 'not an image'; ?>", content_type="image/png")
    response = client.post(reverse("agencies:edit", args=[agency.slug]), _edit_data(logo=fake))
    assert response.status_code == 400
    assert "not a valid image" in response.content.decode() or "Upload a valid image" in response.content.decode()
    agency.refresh_from_db()
    assert agency.name == "City Water"
    assert not agency.logo


@pytest.mark.django_db
def test_agency_name_is_length_limited(client, agency, agency_admin):
    client.force_login(agency_admin)
    response = client.post(reverse("agencies:edit", args=[agency.slug]), _edit_data(name="x" * 201))
    assert response.status_code == 400
    agency.refresh_from_db()
    assert agency.name == "City Water"


# --- members ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_adds_an_existing_account_as_member(client, agency, agency_admin):
    newcomer = UserFactory(display_name="Nia New", email="nia@example.org")
    client.force_login(agency_admin)
    response = client.post(
        reverse("agencies:members", args=[agency.slug]), {"email": "NIA@example.org", "role": "manager"}
    )
    assert response.status_code == 302
    assert AgencyMembership.objects.get(agency=agency, user=newcomer).role == "manager"
    assert "Nia New is now Manager." in _messages(response)


@pytest.mark.django_db
def test_admin_changes_a_members_role(client, agency, agency_admin, agency_manager):
    client.force_login(agency_admin)
    client.post(reverse("agencies:members", args=[agency.slug]), {"email": agency_manager.email, "role": "admin"})
    assert AgencyMembership.objects.get(agency=agency, user=agency_manager).role == "admin"


@pytest.mark.django_db
def test_adding_an_unknown_email_shows_a_clear_error(client, agency, agency_admin):
    client.force_login(agency_admin)
    response = client.post(
        reverse("agencies:members", args=[agency.slug]), {"email": "ghost@example.org", "role": "manager"}
    )
    assert response.status_code == 400
    assert "No active account uses this email address" in response.content.decode()
    assert agency.memberships.count() == 1


@pytest.mark.django_db
def test_members_page_lists_names_not_emails(client, agency, agency_admin, agency_manager):
    client.force_login(agency_admin)
    body = client.get(reverse("agencies:members", args=[agency.slug])).content.decode()
    assert "Mara Manager" in body
    assert agency_manager.email not in body


@pytest.mark.django_db
def test_removing_the_last_admin_is_refused(client, agency, agency_admin):
    membership = AgencyMembership.objects.get(agency=agency, user=agency_admin)
    client.force_login(agency_admin)
    response = client.post(reverse("agencies:member_remove", args=[agency.slug, membership.pk]))
    assert response.status_code == 302
    assert "An agency needs at least one administrator." in _messages(response)
    assert AgencyMembership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_admin_removes_a_manager(client, agency, agency_admin, agency_manager):
    membership = AgencyMembership.objects.get(agency=agency, user=agency_manager)
    client.force_login(agency_admin)
    response = client.post(reverse("agencies:member_remove", args=[agency.slug, membership.pk]))
    assert "The member was removed." in _messages(response)
    assert not AgencyMembership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_removing_a_membership_of_another_agency_is_404(client, agency, agency_admin, other_agency):
    foreign = MembershipFactory(agency=other_agency, role="admin")
    client.force_login(agency_admin)
    response = client.post(reverse("agencies:member_remove", args=[agency.slug, foreign.pk]))
    assert response.status_code == 404
    assert AgencyMembership.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_remove_member_by_get_is_not_allowed(client, agency, agency_admin, agency_manager):
    membership = AgencyMembership.objects.get(agency=agency, user=agency_manager)
    client.force_login(agency_admin)
    response = client.get(reverse("agencies:member_remove", args=[agency.slug, membership.pk]))
    assert response.status_code == 405
    assert AgencyMembership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_agencies_are_ordered_by_name(client):
    AgencyFactory(name="Zoo Board")
    AgencyFactory(name="Archive Office")
    body = client.get(reverse("agencies:list")).content.decode()
    assert body.index("Archive Office") < body.index("Zoo Board")
    assert Agency.objects.count() == 2


@pytest.mark.django_db
def test_last_admin_cannot_demote_themselves(client, agency, agency_admin):
    client.force_login(agency_admin)
    response = client.post(
        reverse("agencies:members", args=[agency.slug]), {"email": agency_admin.email, "role": "manager"}
    )
    assert response.status_code == 400
    assert "An agency needs at least one administrator." in response.content.decode()
    assert AgencyMembership.objects.get(agency=agency, user=agency_admin).role == "admin"


@pytest.mark.django_db
def test_admin_can_step_down_once_another_admin_exists(client, agency, agency_admin, agency_manager):
    client.force_login(agency_admin)
    members_url = reverse("agencies:members", args=[agency.slug])
    client.post(members_url, {"email": agency_manager.email, "role": "admin"})
    response = client.post(members_url, {"email": agency_admin.email, "role": "manager"})
    assert response.status_code == 302
    assert AgencyMembership.objects.get(agency=agency, user=agency_admin).role == "manager"


@pytest.mark.django_db
def test_agency_description_is_sanitised(client, agency, agency_admin):
    client.force_login(agency_admin)
    client.post(
        reverse("agencies:edit", args=[agency.slug]),
        _edit_data(description='**Clean** water <script>alert("x")</script> [click](javascript:alert(1))'),
    )
    body = client.get(agency.get_absolute_url()).content.decode()
    assert "<strong>Clean</strong>" in body
    assert '<script>alert("x")</script>' not in body
    assert "javascript:alert" not in body


@pytest.mark.django_db
def test_agency_website_must_be_a_web_address(client, agency, agency_admin):
    client.force_login(agency_admin)
    response = client.post(reverse("agencies:edit", args=[agency.slug]), _edit_data(website="javascript:alert(1)"))
    assert response.status_code == 400
    agency.refresh_from_db()
    assert agency.website == "https://agency.example.org"
