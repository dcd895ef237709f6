"""Everything a manager or reviewer can do in pages has an operation in the API (OpenAPI schema).

Walks the URLconf: every page view that accepts POST is either a staff action mapped to its API
operation below, or a citizen's own action listed with where the API does it (or why not). A new
staff form without an API operation, or a new form in neither list, fails this test.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

# Page view (URL name) → (HTTP method, API path) of the operation that does the same.
STAFF_OPERATIONS = {
    # agency admins
    "agencies:edit": ("patch", "/api/v1/agencies/{slug}/"),
    "agencies:members": ("post", "/api/v1/agencies/{slug}/members/"),
    "agencies:member_remove": ("delete", "/api/v1/agencies/{slug}/members/{membership_id}/"),
    # agency managers: contests
    "contests:create": ("post", "/api/v1/contests/"),
    "contests:edit": ("patch", "/api/v1/contests/{slug}/"),
    "contests:publish": ("post", "/api/v1/contests/{slug}/publish/"),
    # agency managers: moderation
    "moderation:queue": ("get", "/api/v1/agencies/{slug}/moderation/reports/"),
    "moderation:report_hide": ("post", "/api/v1/agencies/{slug}/moderation/reports/{report_id}/hide/"),
    "moderation:report_dismiss": ("post", "/api/v1/agencies/{slug}/moderation/reports/{report_id}/dismiss/"),
    "discussion:hide": ("post", "/api/v1/comments/{comment_id}/hide/"),
    "discussion:restore": ("post", "/api/v1/comments/{comment_id}/restore/"),
    "discussion:blocklist": ("put", "/api/v1/agencies/{slug}/moderation/blocklist/"),
    # agency managers: proposals
    "proposals:respond": ("post", "/api/v1/proposals/{id}/response/"),
    "proposals:merge": ("post", "/api/v1/proposals/{id}/merge/"),
    # agency managers: jury
    "jury:manage": ("get", "/api/v1/contests/{slug}/jury/progress/"),
    "jury:settings": ("put", "/api/v1/contests/{slug}/jury/settings/"),
    "jury:rubric": ("put", "/api/v1/contests/{slug}/rubric/"),
    "jury:invite": ("post", "/api/v1/contests/{slug}/reviewers/"),
    "jury:withdraw_reviewer": ("delete", "/api/v1/contests/{slug}/reviewers/{reviewer_id}/"),
    "jury:assign": ("post", "/api/v1/contests/{slug}/jury/assign/"),
    "jury:remind": ("post", "/api/v1/contests/{slug}/jury/reminders/"),
    "jury:winners": ("put", "/api/v1/contests/{slug}/jury/winners/"),
    "jury:publish": ("post", "/api/v1/contests/{slug}/jury/publish/"),
    # reviewers
    "jury:dashboard": ("get", "/api/v1/jury/roles/"),
    "jury:accept_invitation": ("post", "/api/v1/jury/invitations/accept/"),
    "jury:conflicts": ("put", "/api/v1/contests/{slug}/jury/conflicts/"),
    "jury:withdraw_self": ("post", "/api/v1/contests/{slug}/jury/withdraw/"),
    "jury:review": ("put", "/api/v1/reviews/{id}/"),
    # agency staff: micro-tasks and rewards
    "microtasks:create": ("post", "/api/v1/agencies/{slug}/tasks/"),
    "microtasks:items": ("post", "/api/v1/tasks/{id}/items/"),
    "microtasks:review_submission": ("post", "/api/v1/tasks/submissions/{submission_id}/review/"),
    "engagement:agency_rewards": ("post", "/api/v1/agencies/{slug}/rewards/"),
    "engagement:hand_over": ("post", "/api/v1/redemptions/{id}/hand-over/"),
    # agency staff: citizen reports
    "reports:queue": ("get", "/api/v1/reports/"),
    "reports:status": ("post", "/api/v1/reports/{id}/status/"),
    # contest managers: integrity
    "integrity:queue": ("post", "/api/v1/contests/{slug}/integrity/queue/{id}/"),
}

# Staff forms that have no API operation yet: each is a known gap, named in the closing note of its issue.
# Adding to this list is a decision, not a way to make the test pass.
STAFF_FORMS_WITHOUT_API = {
    "reports:assign": "assigning a report to a staff member",
    "reports:merge": "merging a duplicate report",
    "reports:reassign": "a parent agency passing a report to another category",
    "agencies:census": "uploading the census list (hashes only) of an agency",
}

# Every bulk operation the API offers beyond the pages.
API_ONLY_OPERATIONS = [
    ("post", "/api/v1/contests/{slug}/responses/"),  # the same official answer to many proposals
    ("get", "/api/v1/contests/{slug}/rubric/"),
    ("get", "/api/v1/agencies/{slug}/moderation/comments/"),
]

# Citizens' own forms: not manager or reviewer actions (several are in the API all the same).
CITIZEN_VIEWS = {
    "accounts:profile_edit",
    "notifications:read",  # API: /api/v1/notifications/{pk}/read/
    "notifications:read_all",
    "notifications:unsubscribe",  # a signed link from an email
    "notifications:unsubscribe_legacy",
    "notifications:follow",
    "notifications:preferences",
    "engagement:preferences",
    "discussion:post",  # API: /api/v1/proposals/{pk}/comments/
    "discussion:edit",
    "discussion:delete",
    "discussion:react",
    "discussion:report",
    "discussion:follow",
    "proposals:create",  # API: /api/v1/contests/{slug}/proposals/
    "proposals:edit",  # API: PATCH /api/v1/proposals/{id}/
    "proposals:withdraw",  # API: DELETE /api/v1/proposals/{id}/
    "proposals:invite_coauthor",
    "proposals:report",
    "proposals:accept_invitation",
    "voting:vote",  # API: /api/v1/proposals/{id}/vote/
    "voting:withdraw",
    "voting:compare",  # API: /api/v1/contests/{slug}/pair/
    "accounts:verification",  # phone codes: one's own verification
    "agencies:census_verify",  # checking one's own ID number against an agency's census list
    "privacy:account",  # API: GET /api/v1/account/data/ (export); deletion is asked for in the page
    "engagement:redeem",  # API: /api/v1/rewards/{id}/redeem/
    "microtasks:claim",  # API: /api/v1/tasks/{id}/claim/
    "microtasks:release",  # API: /api/v1/tasks/claims/{claim_id}/release/
    "microtasks:proof",  # API: /api/v1/tasks/claims/{claim_id}/proof/
    "microtasks:answer",  # API: /api/v1/tasks/claims/{claim_id}/answers/
    "reports:create",  # API: POST /api/v1/reports/
    "reports:metoo",  # API: /api/v1/reports/{id}/metoo/
    "reports:followup",  # the reporter's "is it really fixed?" answer
    "reports:photo_location",  # reads a photo's GPS for the form; stores nothing
    "reports:open311_requests",  # Open311 GeoReport v2 is itself the API for client apps
}


def _page_views(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith(("api/", "admin/", "accounts/", "i18n/")):
                continue
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _page_views(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, getattr(pattern.callback, "view_class", None)


@pytest.fixture(scope="module")
def schema_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {(method, path) for path, item in schema["paths"].items() for method in item}


def test_every_page_form_is_known_as_a_staff_or_citizen_action():
    form_views = {name for name, view in _page_views(get_resolver().url_patterns) if view and hasattr(view, "post")}
    unknown = form_views - set(STAFF_OPERATIONS) - set(STAFF_FORMS_WITHOUT_API) - CITIZEN_VIEWS
    assert not unknown, f"page forms with no API mapping here: {sorted(unknown)}"
    assert form_views >= (set(STAFF_OPERATIONS) - {"jury:manage", "moderation:queue", "jury:dashboard"})


def test_every_manager_and_reviewer_form_has_an_api_operation(schema_operations):
    missing = {name: op for name, op in STAFF_OPERATIONS.items() if op not in schema_operations}
    assert not missing, f"no API operation for: {missing}"
    assert not [op for op in API_ONLY_OPERATIONS if op not in schema_operations]
