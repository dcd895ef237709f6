"""Every contest permission for every role, on a draft and on a published contest."""

import pytest
from django.contrib.auth.models import AnonymousUser

ROLES = ["anonymous", "citizen", "manager_a", "admin_a", "manager_b", "site_admin"]


@pytest.fixture
def users(citizen, agency_manager, agency_admin, other_manager, site_admin):
    return {
        "anonymous": AnonymousUser(),
        "citizen": citizen,
        "manager_a": agency_manager,
        "admin_a": agency_admin,
        "manager_b": other_manager,
        "site_admin": site_admin,
    }


MAY_CHANGE = {"manager_a", "admin_a", "site_admin"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_add_contest_only_for_managers_of_that_agency_and_site_admins(role, users, agency, other_agency):
    user = users[role]
    assert user.has_perm("contests.add_contest", agency) is (role in MAY_CHANGE)
    assert user.has_perm("contests.add_contest", other_agency) is (role in {"manager_b", "site_admin"})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["draft", "published"])
def test_change_and_publish_only_for_managers_of_the_contest_agency(role, state, users, request):
    contest = request.getfixturevalue(state)
    user = users[role]
    assert user.has_perm("contests.change_contest", contest) is (role in MAY_CHANGE)
    assert user.has_perm("contests.publish_contest", contest) is (role in MAY_CHANGE)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_published_contest_is_visible_to_everyone(role, users, published):
    assert users[role].has_perm("contests.view_contest", published)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_draft_is_visible_only_to_those_who_may_change_it(role, users, draft):
    assert users[role].has_perm("contests.view_contest", draft) is (role in MAY_CHANGE)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["draft", "published"])
def test_contest_page_status_for_every_role(role, state, users, request, client):
    contest = request.getfixturevalue(state)
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(f"/contests/{contest.slug}/", follow=True)
    if state == "published" or role in MAY_CHANGE:
        assert response.status_code == 200
        assert contest.title in response.content.decode()
    else:
        assert response.status_code == 404
        assert contest.title not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["draft", "published"])
def test_edit_page_status_for_every_role(role, state, users, request, client):
    contest = request.getfixturevalue(state)
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(f"/contests/{contest.slug}/edit/")
    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif role in MAY_CHANGE:
        assert response.status_code == 200
    elif state == "draft":
        assert response.status_code == 404  # a draft's existence is not revealed
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["draft", "published"])
def test_api_detail_status_for_every_role(role, state, users, request, client):
    contest = request.getfixturevalue(state)
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(f"/api/v1/contests/{contest.slug}/")
    expected = 200 if state == "published" or role in MAY_CHANGE else 404
    assert response.status_code == expected
