"""Contest pages: create, edit, preview, publish, the timeline, the deadline log, and refusals."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contests.models import Contest, DeadlineChange
from tests.contests.helpers import DATE_FORMAT, contest_form_data, image_upload
from tests.factories import ContestFactory

pytestmark = pytest.mark.django_db


def test_manager_creates_a_draft_with_categories_and_lands_on_its_preview(client, agency, agency_manager):
    client.force_login(agency_manager)
    response = client.post(f"/contests/new/{agency.slug}/", contest_form_data())
    contest = Contest.objects.get(agency=agency)
    assert response.status_code == 302
    assert response["Location"] == f"/contests/{contest.slug}/preview/"
    assert contest.slug == "greener-streets"
    assert not contest.is_published
    assert sorted(contest.categories.values_list("name", flat=True)) == ["Parks", "Trees"]
    page = client.get(response["Location"]).content.decode()
    assert "Draft preview." in page
    assert "Publish contest" in page
    assert 'id="proposals"' in page


def test_manage_page_links_to_new_contest_and_to_each_contest_edit_page(client, agency, agency_manager, draft):
    client.force_login(agency_manager)
    page = client.get(f"/agencies/{agency.slug}/manage/").content.decode()
    assert f'href="/contests/new/{agency.slug}/"' in page
    assert f'href="/contests/{draft.slug}/edit/"' in page


def test_manager_of_another_agency_cannot_create_there(client, agency, other_manager):
    client.force_login(other_manager)
    assert client.get(f"/contests/new/{agency.slug}/").status_code == 403
    assert client.post(f"/contests/new/{agency.slug}/", contest_form_data()).status_code == 403
    assert not Contest.objects.exists()


def test_citizen_cannot_create_and_unknown_agency_is_404(client, agency, citizen):
    client.force_login(citizen)
    assert client.post(f"/contests/new/{agency.slug}/", contest_form_data()).status_code == 403
    assert client.get("/contests/new/no-such-agency/").status_code == 404
    assert not Contest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"summary": "x" * 501}, "summary", "at most 500 characters"),
        ({"description": "x" * 20001}, "description", "at most 20000 characters"),
        ({"description": "[click](javascript:alert(1))"}, "description", "script links are not allowed"),
        ({"rules": "[x](JavaScript :alert(1))"}, "rules", "script links are not allowed"),
        ({"public_weight": 50, "jury_weight": 60}, "jury_weight", "must add up to 100"),
        ({"submission_closes_at": "2020-01-01T00:00"}, "submission_closes_at", "Submission must close after it opens"),
        ({"voting_opens_at": "2020-01-01T00:00"}, "voting_opens_at", "Voting cannot open before submission opens"),
        ({"slug": "new"}, "slug", "reserved"),
        ({"voting_method": "telepathy"}, "voting_method", "Select a valid choice"),
        ({"approval_limit": 0}, "approval_limit", "at least 1"),
        ({"max_proposals_per_citizen": 0}, "max_proposals_per_citizen", "at least 1"),
        ({"categories": "x" * 81}, "categories", "at most 80 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client, agency, agency_manager, overrides, field, message
):
    client.force_login(agency_manager)
    response = client.post(f"/contests/new/{agency.slug}/", contest_form_data(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert not Contest.objects.exists()


def test_voting_may_open_during_submission_only_when_overlap_is_allowed(client, agency, agency_manager):
    client.force_login(agency_manager)
    data = contest_form_data()
    data["voting_opens_at"] = data["submission_opens_at"]
    refused = client.post(f"/contests/new/{agency.slug}/", data)
    assert refused.status_code == 400
    assert "Allow overlap" in " ".join(refused.context["form"].errors["voting_opens_at"])
    accepted = client.post(f"/contests/new/{agency.slug}/", {**data, "allow_overlap": "on"})
    assert accepted.status_code == 302
    assert Contest.objects.get().allow_overlap


def test_cover_image_is_reencoded(client, agency, agency_manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(agency_manager)
    cover = image_upload("photo.jpg", image_format="JPEG")
    response = client.post(f"/contests/new/{agency.slug}/", {**contest_form_data(), "cover_image": cover})
    assert response.status_code == 302
    contest = Contest.objects.get()
    assert contest.cover_image.name.startswith("contests/covers/photo")
    assert contest.cover_image.name.endswith(".jpg")


def test_fake_cover_image_is_refused(client, agency, agency_manager):
    client.force_login(agency_manager)
    fake = SimpleUploadedFile("cover.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(f"/contests/new/{agency.slug}/", {**contest_form_data(), "cover_image": fake})
    assert response.status_code == 400
    assert "valid image" in " ".join(response.context["form"].errors["cover_image"])
    assert not Contest.objects.exists()


def test_oversize_cover_image_is_refused(client, agency, agency_manager, monkeypatch):
    monkeypatch.setattr("contests.forms.COVER_MAX_BYTES", 200)
    client.force_login(agency_manager)
    big = image_upload(size=(400, 400))
    assert big.size > 200
    response = client.post(f"/contests/new/{agency.slug}/", {**contest_form_data(), "cover_image": big})
    assert response.status_code == 400
    assert "too large" in " ".join(response.context["form"].errors["cover_image"])
    assert not Contest.objects.exists()


def test_script_in_description_is_shown_escaped_never_run(client, agency):
    contest = ContestFactory(agency=agency, description="Hello <script>alert('x')</script> **bold**")
    page = client.get(contest.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert "<strong>bold</strong>" in page


def test_publishing_makes_the_draft_public(client, draft, agency_manager):
    assert client.get(f"/contests/{draft.slug}/").status_code == 404
    client.force_login(agency_manager)
    response = client.post(f"/contests/{draft.slug}/publish/")
    assert response.status_code == 302
    assert response["Location"] == f"/contests/{draft.slug}/"
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.published_at is not None
    client.logout()
    assert client.get(f"/contests/{draft.slug}/").status_code == 200


def test_publishing_twice_is_refused(client, published, agency_manager):
    client.force_login(agency_manager)
    response = client.post(f"/contests/{published.slug}/publish/")
    assert response.status_code == 400
    assert "already published" in response.content.decode()


def test_other_agency_manager_cannot_publish_or_edit(client, draft, published, other_manager):
    client.force_login(other_manager)
    assert client.post(f"/contests/{draft.slug}/publish/").status_code == 404
    assert client.post(f"/contests/{published.slug}/publish/").status_code == 403
    response = client.post(f"/contests/{published.slug}/edit/", contest_form_data(title="Hijacked"))
    assert response.status_code == 403
    draft.refresh_from_db()
    published.refresh_from_db()
    assert not draft.is_published
    assert published.title == "Clean rivers"


def test_editing_a_draft_changes_dates_without_logging(client, draft, agency_manager):
    client.force_login(agency_manager)
    data = contest_form_data(title="Renamed", slug=draft.slug)
    response = client.post(f"/contests/{draft.slug}/edit/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Renamed"
    assert not DeadlineChange.objects.exists()


def _edit_data(contest, **overrides):
    data = contest_form_data(
        title=contest.title,
        summary=contest.summary,
        description=contest.description,
        categories="",
        **{
            field: getattr(contest, field).strftime(DATE_FORMAT)
            for field in (
                "submission_opens_at",
                "submission_closes_at",
                "voting_opens_at",
                "voting_closes_at",
                "review_closes_at",
                "results_at",
            )
        },
    )
    data.pop("slug")
    data.update(overrides)
    return data


def test_deadline_extension_is_logged_and_shown_publicly(client, published, agency_manager):
    published.refresh_from_db()
    client.force_login(agency_manager)
    old_close = published.submission_closes_at.replace(second=0, microsecond=0)
    new_close = old_close + timedelta(days=3)
    new_voting_open = published.voting_opens_at.replace(second=0, microsecond=0) + timedelta(days=3)
    data = _edit_data(
        published,
        submission_closes_at=new_close.strftime(DATE_FORMAT),
        voting_opens_at=new_voting_open.strftime(DATE_FORMAT),
        reason="Many requests for more time",
    )
    response = client.post(f"/contests/{published.slug}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    changes = {change.field: change for change in DeadlineChange.objects.filter(contest=published)}
    assert set(changes) >= {"submission_closes_at", "voting_opens_at"}
    assert changes["submission_closes_at"].new_value == new_close
    assert changes["submission_closes_at"].changed_by == agency_manager
    client.logout()
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Date changes" in page
    assert "Many requests for more time" in page
    assert "Submission closes" in page
    assert "Mara Manager" in page
    assert agency_manager.email not in page


def test_date_change_of_published_contest_without_reason_is_refused(client, published, agency_manager):
    published.refresh_from_db()
    client.force_login(agency_manager)
    later = (published.results_at + timedelta(days=1)).strftime(DATE_FORMAT)
    response = client.post(f"/contests/{published.slug}/edit/", _edit_data(published, results_at=later))
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert not DeadlineChange.objects.exists()
    before = published.results_at
    published.refresh_from_db()
    assert published.results_at == before


def test_published_contest_keeps_its_address(client, published, agency_manager):
    client.force_login(agency_manager)
    response = client.post(f"/contests/{published.slug}/edit/", _edit_data(published, slug="new-address"))
    assert response.status_code == 302  # the address field is disabled, so the posted value is ignored
    assert Contest.objects.filter(slug="clean-rivers").exists()
    assert not Contest.objects.filter(slug="new-address").exists()


def test_contest_page_shows_timeline_with_current_step_and_countdown(client, published):
    page = client.get(published.get_absolute_url()).content.decode()
    assert '<ol class="timeline">' in page
    assert page.count('aria-current="step"') == 1
    current = page.split('aria-current="step"')[1].split("</li>")[0]
    assert "Submission" in current
    assert "Submission closes" in page
    assert "data-countdown" in page
    assert "in 4\xa0days" in page or "in 5\xa0days" in page
    assert "js/countdown.js" in page


def test_contest_cards_link_to_contest_pages(client, published):
    page = client.get(f"/agencies/{published.agency.slug}/").content.decode()
    assert f'href="/contests/{published.slug}/"' in page


def test_script_link_stored_by_other_means_is_still_not_rendered_as_a_link(client, agency):
    contest = ContestFactory(agency=agency, description="[click](javascript:alert(1))")
    page = client.get(contest.get_absolute_url()).content.decode()
    assert 'href="javascript:' not in page


def test_contest_page_queries_do_not_grow_with_categories_and_date_changes(
    client, published, agency_manager, django_assert_max_num_queries
):
    from contests.models import Category

    Category.objects.bulk_create(
        [Category(contest=published, name=f"Topic {index}", slug=f"topic-{index}") for index in range(30)]
    )
    DeadlineChange.objects.bulk_create(
        [
            DeadlineChange(
                contest=published,
                field="results_at",
                old_value=published.results_at,
                new_value=published.results_at,
                changed_by=agency_manager,
                reason=f"Change {index}",
            )
            for index in range(30)
        ]
    )
    # contest, categories, date changes (with their authors); the proposals section's count; the
    # contest discussion: its comments (one query) and, the first time in a process, the content type
    with django_assert_max_num_queries(6):
        response = client.get(published.get_absolute_url())
    assert "Change 29" in response.content.decode()


def test_contest_page_links_its_proposals_and_offers_submission_while_open(client, published):
    from tests.factories import ProposalFactory, UserFactory

    ProposalFactory(contest=published)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "1 proposal submitted." in page
    assert f'href="/contests/{published.slug}/proposals/"' in page
    assert "Sign in to submit a proposal" in page
    client.force_login(UserFactory())
    page = client.get(published.get_absolute_url()).content.decode()
    assert f'href="/contests/{published.slug}/proposals/new/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/contests/"])
def test_every_page_title_separates_its_name_from_the_site_name(client, url):
    """The browser tab reads "Open contests · Civitas", never "Open contestsCivitas"."""
    html = client.get(url).content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert title.endswith(" · Civitas") and not title.startswith(" ·")
