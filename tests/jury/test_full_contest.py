"""Done-when: a whole contest through jury review to published results.

30 proposals (some with co-authors), 6 reviewers of whom 2 declare a conflict and one
co-authors a proposal, R = 3, blind review, per-reviewer normalisation on, results
published early. Checks the assignment constraints, that no author or co-author name
reached a reviewer in any response, and the final ranking against arithmetic done here,
independently of jury.aggregation and voting.ranking.
"""

import math
from collections import Counter, defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contests.models import Contest
from jury.models import Criterion, Review
from tests.factories import (
    ContestFactory,
    ProposalCoAuthorFactory,
    ProposalFactory,
    UserFactory,
)
from voting import services as voting_services

from .conftest import review_phase_dates

pytestmark = pytest.mark.django_db

PROPOSALS, REVIEWERS, PER_PROPOSAL, VOTERS = 30, 6, 3, 8
Z = 1.959963984540054


def hand_wilson_percent(up: int, down: int) -> float:
    n = up + down
    if n == 0:
        return 0.0
    p = up / n
    centre = p + Z * Z / (2 * n)
    margin = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return round(100 * (centre - margin) / (1 + Z * Z / n), 2)


def hand_minmax(values: dict) -> dict:
    low, high = min(values.values()), max(values.values())
    if high == low:
        return dict.fromkeys(values, 50.0)
    return {key: 100 * (value - low) / (high - low) for key, value in values.items()}


def votes_for(index: int) -> tuple[int, int]:
    up = (index * 5) % 7
    down = (index * 3) % 4
    return up, min(down, VOTERS - up)


def scores_for(reviewer_index: int, proposal_index: int) -> tuple[int, int]:
    # Reviewer 0 is harsh (scores 0–4), reviewer 5 lenient (6–10), the rest in between.
    base = (proposal_index * 7 + reviewer_index * 3) % 5
    return min(10, base + 2 * reviewer_index), min(10, (proposal_index * 3 + reviewer_index) % 5 + 2 * reviewer_index)


class Recorder:
    """Every response body a reviewer received, to scan for author names."""

    def __init__(self, user):
        self.client = APIClient()
        self.client.force_login(user)
        self.bodies: list[str] = []

    def _keep(self, response):
        self.bodies.append(response.content.decode())
        return response

    def get(self, url, **kwargs):
        return self._keep(self.client.get(url, follow=True, **kwargs))

    def post(self, url, data, **kwargs):
        return self._keep(self.client.post(url, data, follow=True, **kwargs))

    def put(self, url, data):
        return self._keep(self.client.put(url, data, format="json"))


def test_full_contest_from_assignment_to_published_results(agency, agency_manager, settings):
    # Six reviewers and a manager post about 120 forms from the test client's one IP within
    # seconds; real reviewers come from their own addresses over days.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "write": "1000/min"},
    }
    dates = review_phase_dates()
    contest = ContestFactory(
        agency=agency,
        slug="river-ideas",
        voting_method="updown",
        public_weight=40,
        jury_weight=60,
        submission_opens_at=dates["submission_opens_at"],
        submission_closes_at=dates["submission_closes_at"],
        voting_opens_at=dates["voting_opens_at"],
        voting_closes_at=timezone.now() + timezone.timedelta(days=1),
        review_closes_at=dates["review_closes_at"],
        results_at=dates["results_at"],
    )
    manager = APIClient()
    manager.force_login(agency_manager)

    # Rubric while voting is still open (it locks when review opens).
    rubric = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-name": "Impact",
        "form-0-description": "Who benefits, and how much",
        "form-0-weight": "60",
        "form-1-name": "Feasibility",
        "form-1-weight": "40",
    }
    assert manager.post(reverse("jury:rubric", args=[contest.slug]), rubric).status_code == 302
    impact, feasibility = Criterion.objects.filter(contest=contest).order_by("position")

    # Proposals with distinctive author and co-author names.
    authors = [UserFactory(display_name=f"Peregrine Zabriskie {i:02d}") for i in range(PROPOSALS)]
    proposals = [ProposalFactory(contest=contest, author=authors[i]) for i in range(PROPOSALS)]
    coauthor_names = []
    for i in range(0, PROPOSALS, 6):
        coauthor = UserFactory(display_name=f"Ottoline Vasquez-Marr {i:02d}")
        ProposalCoAuthorFactory(proposal=proposals[i], user=coauthor)
        coauthor_names.append(coauthor.public_name)

    # Public votes while voting is open.
    voters = [UserFactory() for _ in range(VOTERS)]
    for index, proposal in enumerate(proposals):
        up, down = votes_for(index)
        for voter in voters[:up]:
            voting_services.vote_cast(voter=voter, proposal=proposal, value=1)
        for voter in voters[up : up + down]:
            voting_services.vote_cast(voter=voter, proposal=proposal, value=-1)
    Contest.objects.filter(pk=contest.pk).update(voting_closes_at=dates["voting_closes_at"])
    contest.refresh_from_db()

    # Settings: R = 3, blind, normalised; six reviewers invited through the API.
    settings_form = {"reviewers_per_proposal": "3", "blind": "on", "normalise": "on", "winners_count": "3"}
    assert manager.post(reverse("jury:settings", args=[contest.slug]), settings_form).status_code == 302
    reviewer_users = [UserFactory(display_name=f"Reviewer {i}") for i in range(REVIEWERS)]
    for user in reviewer_users:
        response = manager.post(f"/api/v1/contests/{contest.slug}/reviewers/", {"email": user.email}, format="json")
        assert response.status_code == 201 and response.json()["status"] == "active"
    # Reviewer 2 co-authors proposal 4 (their own name is then not a leak to themselves).
    ProposalCoAuthorFactory(proposal=proposals[4], user=reviewer_users[2])

    recorders = [Recorder(user) for user in reviewer_users]
    conflicts = {0: proposals[7], 1: proposals[13]}
    for index, recorder in enumerate(recorders):
        recorder.get(reverse("jury:dashboard"))
        page = recorder.get(reverse("jury:conflicts", args=[contest.slug]))
        assert page.status_code == 200
        chosen = [str(conflicts[index].pk)] if index in conflicts else []
        assert recorder.post(reverse("jury:conflicts", args=[contest.slug]), {"proposals": chosen}).status_code == 200

    response = manager.post(reverse("jury:assign", args=[contest.slug]), {"seed": "2026"}, follow=True)
    assert "90 reviews assigned." in response.content.decode()

    # Assignment constraints.
    reviewers = list(contest.reviewers.order_by("pk"))
    assignments = list(Review.objects.filter(reviewer__contest=contest).values_list("reviewer_id", "proposal_id"))
    per_proposal = Counter(proposal_id for _reviewer, proposal_id in assignments)
    assert set(per_proposal.values()) == {PER_PROPOSAL} and len(per_proposal) == PROPOSALS
    assert set(Counter(reviewer for reviewer, _proposal in assignments).values()) == {15}
    assert (reviewers[0].pk, proposals[7].pk) not in assignments
    assert (reviewers[1].pk, proposals[13].pk) not in assignments
    assert (reviewers[2].pk, proposals[4].pk) not in assignments
    assert len(set(assignments)) == len(assignments)

    # Reviewing: pages for the first half (draft, then submit), API for the rest.
    proposal_index = {proposal.pk: index for index, proposal in enumerate(proposals)}
    raw = {}
    for r_index, recorder in enumerate(recorders):
        listing = recorder.get("/api/v1/reviews/").json()
        assert listing["count"] == 15
        for n, item in enumerate(listing["results"]):
            p_index = proposal_index[item["proposal"]["id"]]
            impact_score, feasibility_score = scores_for(r_index, p_index)
            raw[(r_index, p_index)] = (impact_score, feasibility_score)
            if n % 2 == 0:
                url = reverse("jury:review", args=[item["id"]])
                assert recorder.get(url).status_code == 200
                recorder.post(url, {f"score_{impact.pk}": str(impact_score), "action": "draft"})
                form = {
                    f"score_{impact.pk}": str(impact_score),
                    f"score_{feasibility.pk}": str(feasibility_score),
                    f"comment_{impact.pk}": "Clear benefits.",
                    "action": "submit",
                }
                assert recorder.post(url, form).status_code == 200
            else:
                body = {
                    "scores": {
                        str(impact.pk): {"score": impact_score, "comment": ""},
                        str(feasibility.pk): {"score": feasibility_score, "comment": "ok"},
                    },
                    "submit": True,
                }
                assert recorder.put(f"/api/v1/reviews/{item['id']}/", body).status_code == 200
        recorder.get(reverse("jury:dashboard"))
        assert recorder.get(reverse("jury:results", args=[contest.slug])).status_code == 403
        assert recorder.get(f"/api/v1/contests/{contest.slug}/results/").status_code == 403
    assert not Review.objects.exclude(status="submitted").exists()

    # While the blind review runs, public pages hide the names too (a reviewer could sign out and look);
    # the authors themselves still see them, so the scan below would catch a name that leaked.
    public_page = APIClient().get(proposals[0].get_absolute_url()).content.decode()
    assert authors[0].public_name not in public_page and coauthor_names[0] not in public_page
    own = APIClient()
    own.force_login(authors[0])
    own_page = own.get(proposals[0].get_absolute_url()).content.decode()
    assert authors[0].public_name in own_page and coauthor_names[0] in own_page

    # Blind mode: no author or co-author name in anything a reviewer received (their own name aside).
    names = {author.public_name for author in authors} | set(coauthor_names) | {reviewer_users[2].public_name}
    for user, recorder in zip(reviewer_users, recorders, strict=True):
        assert len(recorder.bodies) > 30
        for body in recorder.bodies:
            for name in names - {user.public_name}:
                assert name not in body, f"{name} leaked to {user.public_name}"

    # Publish early and read the results.
    manager.post(reverse("jury:publish", args=[contest.slug]))
    contest.refresh_from_db()
    assert contest.results_published_at is not None and contest.phase == "results"
    results = APIClient().get(f"/api/v1/contests/{contest.slug}/results/").json()
    assert results["published"] is True

    # --- Hand computation -----------------------------------------------------------------
    reviewer_index = {reviewer.pk: index for index, reviewer in enumerate(reviewers)}
    weighted = {}
    for reviewer_id, proposal_id in assignments:
        i_score, f_score = raw[(reviewer_index[reviewer_id], proposal_index[proposal_id])]
        weighted[(reviewer_id, proposal_id)] = (60 * i_score + 40 * f_score) / 100
    pool = list(weighted.values())
    pool_mean = sum(pool) / len(pool)
    pool_sd = math.sqrt(sum((x - pool_mean) ** 2 for x in pool) / len(pool))
    by_reviewer = defaultdict(list)
    for (reviewer_id, _proposal), value in weighted.items():
        by_reviewer[reviewer_id].append(value)
    moments = {}
    for reviewer_id, values in by_reviewer.items():
        mean = sum(values) / len(values)
        moments[reviewer_id] = (mean, math.sqrt(sum((x - mean) ** 2 for x in values) / len(values)))
    jury_values = defaultdict(list)
    for (reviewer_id, proposal_id), value in weighted.items():
        mean, sd = moments[reviewer_id]
        z = (value - mean) / sd if sd else 0.0
        jury_values[proposal_id].append(pool_mean + z * pool_sd)
    jury = {pk: sum(values) / len(values) for pk, values in jury_values.items()}
    public = {proposal.pk: hand_wilson_percent(*votes_for(index)) for index, proposal in enumerate(proposals)}
    public_n, jury_n = hand_minmax(public), hand_minmax(jury)
    final = {pk: 0.4 * public_n[pk] + 0.6 * jury_n[pk] for pk in public}
    expected_order = sorted(
        final, key=lambda pk: (-round(final[pk], 9), -round(jury_n[pk], 9), -round(public_n[pk], 9), pk)
    )

    entries = results["entries"]
    assert [entry["proposal_id"] for entry in entries] == expected_order
    for entry in entries:
        pk = entry["proposal_id"]
        assert entry["final"] == pytest.approx(final[pk], abs=0.006)
        assert entry["public_component"] == pytest.approx(public_n[pk], abs=0.006)
        assert entry["jury_component"] == pytest.approx(jury_n[pk], abs=0.006)
        assert entry["jury_score"] == pytest.approx(jury[pk], abs=0.0006)
    assert [entry["winner"] for entry in entries[:4]] == [True, True, True, False]
    # Normalisation mattered: the raw means would rank differently.
    raw_means = {pk: sum(weighted[(r, pk)] for r, p in assignments if p == pk) / 3 for pk in public}
    assert sorted(raw_means, key=lambda pk: -raw_means[pk]) != sorted(jury, key=lambda pk: -jury[pk])

    page = APIClient().get(reverse("jury:results", args=[contest.slug])).content.decode()
    assert "final = 40 % × public score + 60 % × jury score" in page
    assert page.count("Winner") >= 3
