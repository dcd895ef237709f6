import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from proposals.models import Proposal, ProposalRevision
from tests.factories import CategoryFactory, ContestFactory, ProposalCoAuthorFactory, ProposalFactory, UserFactory
from tests.proposals.conftest import proposal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def list_url(contest):
    return f"/api/v1/contests/{contest.slug}/proposals/"


def detail_url(proposal):
    return f"/api/v1/proposals/{proposal.pk}/"


def test_anyone_lists_public_proposals_with_names_not_emails(api, contest):
    author = UserFactory(display_name="Ada Author", email="ada-secret@example.org")
    proposal = ProposalFactory(contest=contest, author=author, title="Willows")
    ProposalCoAuthorFactory(proposal=proposal, user__display_name="Cy")
    ProposalFactory(contest=contest, status="draft", submitted_at=None)
    ProposalFactory(contest=contest, is_hidden=True)

    response = api.get(list_url(contest))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["title"] == "Willows"
    assert item["author"] == {"id": author.pk, "display_name": "Ada Author"}
    assert [person["display_name"] for person in item["coauthors"]] == ["Cy"]
    assert "secret@example.org" not in response.content.decode()


def test_list_filters_and_ordering(api, contest):
    water = CategoryFactory(contest=contest, slug="water")
    now = timezone.now()
    ProposalFactory(contest=contest, title="b willow", category=water, submitted_at=now)
    ProposalFactory(contest=contest, title="a lanes", status="shortlisted", submitted_at=now - timezone.timedelta(1))

    def titles(**params):
        return [item["title"] for item in api.get(list_url(contest), params).json()["results"]]

    assert titles(q="WILLOW") == ["b willow"]
    assert titles(category="water") == ["b willow"]
    assert titles(status="shortlisted") == ["a lanes"]
    assert titles(ordering="title") == ["a lanes", "b willow"]
    assert titles(ordering="oldest") == ["a lanes", "b willow"]
    assert titles(ordering="random", seed=7) == titles(ordering="random", seed=7)


def test_bad_query_parameters_are_a_400(api, contest):
    assert api.get(list_url(contest), {"ordering": "most_hated"}).status_code == 400
    assert api.get(list_url(contest), {"status": "draft"}).status_code == 400


def test_the_api_list_runs_a_constant_number_of_queries(api, contest, django_assert_max_num_queries):
    authors = UserFactory.create_batch(3)
    Proposal.objects.bulk_create(
        [
            Proposal(
                contest=contest, author=authors[i % 3], title=f"Idea {i}", summary="s", body="b", status="submitted"
            )
            for i in range(1000)
        ]
    )
    # contest, count, page, co-authors
    with django_assert_max_num_queries(4):
        response = api.get(list_url(contest), {"ordering": "random", "seed": 3})
    assert response.status_code == 200
    assert response.json()["count"] == 1000


def test_a_verified_citizen_creates_a_proposal(api, citizen, contest, category):
    api.force_authenticate(citizen)
    response = api.post(list_url(contest), proposal_data(category="water"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"
    assert response.json()["category"] == {"slug": "water", "name": "Water"}
    assert Proposal.objects.get().author == citizen


def test_a_draft_is_created_and_hidden_from_others(api, citizen, contest):
    api.force_authenticate(citizen)
    response = api.post(list_url(contest), proposal_data(draft=True), format="json")
    assert response.json()["status"] == "draft"
    proposal = Proposal.objects.get()
    assert api.get(detail_url(proposal)).status_code == 200
    api.force_authenticate(UserFactory())
    assert api.get(detail_url(proposal)).status_code == 404
    api.force_authenticate(None)
    assert api.get(detail_url(proposal)).status_code == 404


def test_anonymous_create_is_a_401(api, contest):
    assert api.post(list_url(contest), proposal_data(), format="json").status_code == 401
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("make", "status", "message"),
    [
        ("unverified", 403, "Verify your email address"),
        ("closed", 403, "Submission is closed"),
        ("limit", 400, "most allowed"),
        ("long_title", 400, "150 characters"),
        ("multiline_title", 400, "cannot contain line breaks, tabs or other control characters"),
        ("long_body", 400, "20000 characters"),
        ("script_link", 400, "Links must start with"),
        ("unknown_category", 400, "Choose a category of this contest"),
        ("foreign_category", 400, "Choose a category of this contest"),
    ],
)
def test_bad_creates_are_refused_with_a_message(api, citizen, unverified_user, contest, agency, make, status, message):
    user, target, data = citizen, contest, proposal_data()
    if make == "unverified":
        user = unverified_user
    elif make == "closed":
        target = ContestFactory(agency=agency, results=True)
    elif make == "limit":
        ProposalFactory.create_batch(2, contest=contest, author=citizen)
    elif make == "long_title":
        data["title"] = "x" * 151
    elif make == "multiline_title":
        data["title"] = "Clean\r\nBcc: x"
    elif make == "long_body":
        data["body"] = "x" * 20001
    elif make == "script_link":
        data["body"] = "[x](javascript:alert(1))"
    elif make == "unknown_category":
        data["category"] = "nope"
    elif make == "foreign_category":
        data["category"] = CategoryFactory(contest=ContestFactory()).slug
    before = Proposal.objects.count()
    api.force_authenticate(user)

    response = api.post(list_url(target), data, format="json")

    assert response.status_code == status
    assert message in response.content.decode()
    assert Proposal.objects.count() == before


def test_detail_shows_sanitised_html(api, contest):
    proposal = ProposalFactory(contest=contest, body="Hi <script>alert(1)</script> **there**")
    body = api.get(detail_url(proposal)).json()
    assert "<script>" not in body["body_html"]
    assert "<strong>there</strong>" in body["body_html"]


def test_a_coauthor_patches_and_a_revision_is_stored(api, citizen, contest):
    proposal = ProposalFactory(contest=contest, author=citizen)
    coauthor = ProposalCoAuthorFactory(proposal=proposal).user
    api.force_authenticate(coauthor)
    response = api.patch(detail_url(proposal), {"title": "Shared title"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Shared title"
    assert ProposalRevision.objects.filter(proposal=proposal, editor=coauthor, title="Shared title").exists()


def test_patching_someone_elses_proposal_is_a_403(api, contest):
    proposal = ProposalFactory(contest=contest, title="Original")
    api.force_authenticate(UserFactory())
    response = api.patch(detail_url(proposal), {"title": "Hijacked"}, format="json")
    assert response.status_code == 403
    assert "Only its authors can edit" in response.json()["detail"]
    proposal.refresh_from_db()
    assert proposal.title == "Original"


def test_patching_after_submission_closes_is_a_403(api, citizen, agency):
    proposal = ProposalFactory(contest=ContestFactory(agency=agency, voting=True), author=citizen, title="Final")
    api.force_authenticate(citizen)
    assert api.patch(detail_url(proposal), {"title": "Late"}, format="json").status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Final"


def test_patching_draft_false_submits_a_draft(api, citizen, contest):
    proposal = ProposalFactory(contest=contest, author=citizen, status="draft", submitted_at=None)
    api.force_authenticate(citizen)
    assert api.patch(detail_url(proposal), {"draft": False}, format="json").json()["status"] == "submitted"


def test_delete_withdraws_for_the_author_only(api, citizen, contest):
    proposal = ProposalFactory(contest=contest, author=citizen)
    coauthor = ProposalCoAuthorFactory(proposal=proposal).user
    api.force_authenticate(coauthor)
    assert api.delete(detail_url(proposal)).status_code == 403
    api.force_authenticate(citizen)
    assert api.delete(detail_url(proposal)).status_code == 204
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    api.force_authenticate(None)
    assert api.get(detail_url(proposal)).status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/contests/{slug}/proposals/" in schema["paths"]
    assert {"get", "patch", "delete"} <= set(schema["paths"]["/api/v1/proposals/{id}/"])


def test_attachments_are_uploaded_as_multipart(api, citizen, contest):
    from tests.proposals.conftest import image_upload, pdf_upload

    api.force_authenticate(citizen)
    data = {**proposal_data(), "attachments": [image_upload(with_gps=True), pdf_upload()]}
    response = api.post(list_url(contest), data, format="multipart")
    assert response.status_code == 201, response.content
    kinds = sorted(item["kind"] for item in response.json()["attachments"])
    assert kinds == ["image", "pdf"]
    image_url = next(item["url"] for item in response.json()["attachments"] if item["kind"] == "image")
    served = b"".join(api.get(image_url).streaming_content)
    assert b"SpyCam" not in served and b"Exif" not in served


@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("fake_image", "not a valid image"),
        ("fake_pdf", "not a valid PDF"),
        ("oversize", "too large"),
        ("too_many", "at most 5 attachments"),
    ],
)
def test_bad_attachments_are_refused_by_the_api(api, citizen, contest, settings, make, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.proposals.conftest import image_upload, pdf_upload

    settings.PROPOSAL_ATTACHMENT_MAX_COUNT = 5
    files = {
        "fake_image": lambda: [SimpleUploadedFile("cat.jpg", b"plain text", content_type="image/jpeg")],
        "fake_pdf": lambda: [SimpleUploadedFile("a.pdf", b"<html></html>", content_type="application/pdf")],
        "oversize": lambda: [image_upload(size=(600, 600))],
        "too_many": lambda: [pdf_upload() for _ in range(6)],
    }[make]()
    if make == "oversize":
        settings.PROPOSAL_ATTACHMENT_MAX_BYTES = 1000
    api.force_authenticate(citizen)

    response = api.post(list_url(contest), {**proposal_data(), "attachments": files}, format="multipart")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_patch_adds_and_removes_attachments(api, citizen, contest):
    from tests.proposals.conftest import pdf_upload

    api.force_authenticate(citizen)
    created = api.post(list_url(contest), {**proposal_data(), "attachments": [pdf_upload()]}, format="multipart")
    proposal_id = created.json()["id"]
    old_id = created.json()["attachments"][0]["id"]
    response = api.patch(
        f"/api/v1/proposals/{proposal_id}/",
        {"attachments": [pdf_upload("new.pdf")], "remove_attachments": [old_id]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert [item["original_name"] for item in response.json()["attachments"]] == ["new.pdf"]
