"""Writes for jury review: settings, rubric, reviewers, conflicts, assignment, reviews, reminders, publication.

Every service runs in a transaction and raises django ValidationError with a
message meant for the person who asked; on error nothing is changed. Emails go
out only after commit. Callers check permissions (jury.rules) first.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from contests.models import Contest
from contests.phases import results_are_published
from contests.services import contest_results_publish
from engagement.hooks import points_sync_on_commit
from jury import assignment
from jury.models import (
    MAX_SCORE,
    ConflictOfInterest,
    ContestReviewer,
    ContestReviewSettings,
    Criterion,
    CriterionScore,
    Review,
)
from notifications.emails import emails_send_on_commit
from proposals.models import Proposal, ProposalCoAuthor
from record.chain import canonical_json
from record.services import contest_scope, record_append

MAX_CRITERIA = 20


# --- Phases ---------------------------------------------------------------------------


def review_is_open(contest: Contest, now=None) -> bool:
    """Reviewers score between voting closing and review closing, unless results came out early."""
    now = now or timezone.now()
    return (
        contest.is_published
        and contest.voting_closes_at <= now < contest.review_closes_at
        and not results_are_published(contest, now)
    )


def rubric_is_editable(contest: Contest, now=None) -> bool:
    """The rubric is fixed once review opens (when voting closes)."""
    now = now or timezone.now()
    return now < contest.voting_closes_at


def _settings_for_update(contest: Contest) -> ContestReviewSettings:
    review_settings, _created = ContestReviewSettings.objects.select_for_update().get_or_create(contest=contest)
    contest.review_settings = review_settings
    return review_settings


# --- Settings and rubric --------------------------------------------------------------


@transaction.atomic
def review_settings_update(
    *, contest: Contest, reviewers_per_proposal: int, blind: bool, normalise: bool, winners_count: int
) -> ContestReviewSettings:
    """Change the contest's jury settings. Blind mode is fixed once reviewers have assignments."""
    review_settings = _settings_for_update(contest)
    errors: dict[str, str] = {}
    if not 1 <= reviewers_per_proposal <= 20:
        errors["reviewers_per_proposal"] = _("Enter a number from 1 to 20.")
    if not 0 <= winners_count <= 100:
        errors["winners_count"] = _("Enter a number from 0 to 100.")
    if blind != review_settings.blind and Review.objects.filter(reviewer__contest=contest).exists():
        errors["blind"] = _("Reviewers have already seen their proposals; blind mode can no longer change.")
    if results_are_published(contest):
        errors.setdefault("winners_count", _("Results are published; the jury settings are final."))
    if errors:
        raise ValidationError(errors)
    review_settings.reviewers_per_proposal = reviewers_per_proposal
    review_settings.blind = blind
    review_settings.normalise = normalise
    review_settings.winners_count = winners_count
    review_settings.save()
    return review_settings


def _clean_criteria(criteria: list[dict]) -> list[dict]:
    if not criteria:
        raise ValidationError({"criteria": _("Add at least one criterion: a rubric cannot be empty.")})
    if len(criteria) > MAX_CRITERIA:
        raise ValidationError({"criteria": _("A rubric has at most %(limit)d criteria.") % {"limit": MAX_CRITERIA}})
    cleaned, names = [], set()
    for index, raw in enumerate(criteria, start=1):
        name = str(raw.get("name") or "").strip()
        description = str(raw.get("description") or "").strip()
        weight = raw.get("weight")
        if not name:
            raise ValidationError({"criteria": _("Criterion %(n)d needs a name.") % {"n": index}})
        if len(name) > 100 or len(description) > 1000:
            raise ValidationError(
                {
                    "criteria": _("Criterion %(n)d: keep the name under 100 and the description under 1000 characters.")
                    % {"n": index}
                }
            )
        if name.casefold() in names:
            raise ValidationError({"criteria": _("Two criteria are called “%(name)s”.") % {"name": name}})
        names.add(name.casefold())
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
            raise ValidationError(
                {"criteria": _("Criterion %(n)d: the weight must be a whole number from 1 to 100.") % {"n": index}}
            )
        cleaned.append({"name": name, "description": description, "weight": weight})
    total = sum(item["weight"] for item in cleaned)
    if total != 100:
        raise ValidationError(
            {"criteria": _("The weights must add up to 100 %% (they add up to %(total)d %%).") % {"total": total}}
        )
    return cleaned


@transaction.atomic
def rubric_replace(*, contest: Contest, criteria: list[dict]) -> list[Criterion]:
    """Replace the contest's rubric by `criteria` [{name, description, weight}], weights summing to 100.

    Refused once review has opened (voting closed), so every review scores the same rubric.
    """
    Contest.objects.select_for_update().filter(pk=contest.pk).first()
    if not rubric_is_editable(contest):
        raise ValidationError({"criteria": _("Review has opened: the rubric can no longer change.")})
    cleaned = _clean_criteria(criteria)
    contest.criteria.all().delete()
    return Criterion.objects.bulk_create(
        [Criterion(contest=contest, position=index, **item) for index, item in enumerate(cleaned)]
    )


# --- Reviewers ------------------------------------------------------------------------


# --- Assignment -----------------------------------------------------------------------


def _exclusions(contest: Contest, reviewers: list[ContestReviewer], proposal_ids: list[int]) -> dict[int, set[int]]:
    """{proposal_id: reviewer ids who may not review it}: declared conflicts, authors, co-authors."""
    by_user = {reviewer.user_id: reviewer.pk for reviewer in reviewers}
    excluded: dict[int, set[int]] = {pk: set() for pk in proposal_ids}
    for reviewer_id, proposal_id in ConflictOfInterest.objects.filter(
        reviewer__contest=contest, proposal_id__in=proposal_ids
    ).values_list("reviewer_id", "proposal_id"):
        excluded[proposal_id].add(reviewer_id)
    authors = Proposal.objects.filter(pk__in=proposal_ids).values_list("pk", "author_id")
    coauthors = ProposalCoAuthor.objects.filter(proposal_id__in=proposal_ids).values_list("proposal_id", "user_id")
    for proposal_id, user_id in [*authors, *coauthors]:
        if user_id in by_user:
            excluded[proposal_id].add(by_user[user_id])
    return excluded


def _assign(contest: Contest, review_settings: ContestReviewSettings, seed: int) -> int:
    """Top up assignments so every public proposal has R reviewers. Returns how many were added."""
    reviewers = list(contest.reviewers.filter(status=ContestReviewer.Status.ACTIVE).order_by("pk"))
    proposal_ids = list(Proposal.objects.public().filter(contest=contest).order_by("pk").values_list("pk", flat=True))
    excluded = _exclusions(contest, reviewers, proposal_ids)
    existing = Review.objects.filter(reviewer__contest=contest)
    # Unstarted assignments that became wrong (proposal hidden or withdrawn, new conflict) go away.
    stale = [
        review.pk
        for review in existing.filter(status=Review.Status.PENDING)
        if review.proposal_id not in excluded or review.reviewer_id in excluded[review.proposal_id]
    ]
    Review.objects.filter(pk__in=stale).delete()
    kept: dict[int, set[int]] = {pk: set() for pk in proposal_ids}
    for reviewer_id, proposal_id in existing.filter(proposal_id__in=proposal_ids).values_list(
        "reviewer_id", "proposal_id"
    ):
        kept[proposal_id].add(reviewer_id)
    try:
        result = assignment.assign_reviewers(
            proposals=proposal_ids,
            reviewers=[reviewer.pk for reviewer in reviewers],
            per_proposal=review_settings.reviewers_per_proposal,
            excluded=excluded,
            kept=kept,
            seed=seed,
        )
    except assignment.AssignmentError as error:
        raise ValidationError(_("Reviewers could not be assigned: %(reason)s") % {"reason": error}) from error
    new = [
        Review(reviewer_id=reviewer_id, proposal_id=proposal_id)
        for proposal_id, chosen in result.items()
        for reviewer_id in sorted(chosen - kept[proposal_id])
    ]
    Review.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def assignment_run(*, contest: Contest, seed: int | None = None) -> int:
    """Assign reviewers to every public proposal (R each, balanced, no conflicts or authors).

    Running it again keeps started reviews and tops up what is missing (new reviewers per
    proposal, re-instated proposals). Refused before submission closes and after review.
    """
    review_settings = _settings_for_update(contest)
    now = timezone.now()
    if now < contest.submission_closes_at:
        raise ValidationError(_("Assign reviewers after submission closes, when the proposals are final."))
    if now >= contest.review_closes_at or results_are_published(contest, now):
        raise ValidationError(_("Review is over: assignments can no longer change."))
    if not contest.criteria.exists():
        raise ValidationError(_("Define the rubric before assigning reviewers."))
    if seed is not None:
        if not 0 <= seed < 2**31:
            raise ValidationError(_("The seed must be a whole number from 0 to 2147483647."))
        review_settings.assignment_seed = seed
        review_settings.save(update_fields=["assignment_seed"])
    return _assign(contest, review_settings, review_settings.assignment_seed)


@transaction.atomic
def reviewer_withdraw(*, reviewer: ContestReviewer) -> ContestReviewer:
    """Withdraw a reviewer: unsubmitted reviews go to others (re-assigned at once); submitted ones count.

    Refused, with nothing changed, when the others cannot take over their proposals.
    """
    reviewer = ContestReviewer.objects.select_for_update().select_related("contest").get(pk=reviewer.pk)
    if reviewer.status == ContestReviewer.Status.WITHDRAWN:
        raise ValidationError(_("This reviewer has already withdrawn."))
    contest = reviewer.contest
    had_assignments = reviewer.reviews.exists()
    reviewer.reviews.exclude(status=Review.Status.SUBMITTED).delete()
    reviewer.status = ContestReviewer.Status.WITHDRAWN
    reviewer.save(update_fields=["status"])
    if had_assignments and timezone.now() < contest.review_closes_at:
        review_settings = _settings_for_update(contest)
        _assign(contest, review_settings, review_settings.assignment_seed)
    return reviewer


# --- Reviews --------------------------------------------------------------------------


def _parse_score(value, label: str) -> int:
    if isinstance(value, bool):
        raise ValidationError({"scores": _("%(criterion)s: enter a whole number from 0 to 10.") % {"criterion": label}})
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError) as error:
        raise ValidationError(
            {"scores": _("%(criterion)s: enter a whole number from 0 to 10.") % {"criterion": label}}
        ) from error
    if not number.is_integer() or not 0 <= number <= MAX_SCORE:
        raise ValidationError({"scores": _("%(criterion)s: enter a whole number from 0 to 10.") % {"criterion": label}})
    return int(number)


def _scores_digest(body: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"review:{body}".encode(), hashlib.sha256).hexdigest()


def _review_record(*, review: Review, contest: Contest, scores: dict[int, tuple[int, str]]) -> None:
    """A submitted review in the decision record: which review of which proposal, and a digest of its scores.

    The digest (HMAC-SHA256 with the site's secret of the canonical {criterion id: [score,
    comment]}) commits to the scores without publishing them: a plain hash of a few 0–10 scores
    could be guessed by trying them all. The stored review can be checked against it later.
    """
    body = canonical_json({str(pk): [score, comment] for pk, (score, comment) in sorted(scores.items())})
    record_append(
        kind="review.submitted",
        target=review,
        scope=contest_scope(contest.pk),
        # No actor: the record is public, and who reviewed which proposal is not (blind review protects reviewers too).
        actor=None,
        payload={"proposal": review.proposal_id, "scores_hmac": _scores_digest(body)},
    )


@transaction.atomic
def review_save(*, review: Review, scores: dict, submit: bool = False) -> Review:
    """Save a review's scores {criterion_id: {"score": 0–10, "comment": ""}} as a draft, or submit it.

    A draft may leave criteria unscored; submitting needs every criterion scored and
    locks the review. Refused outside the review phase and after submission.
    """
    review = Review.objects.select_for_update().select_related("reviewer__contest").get(pk=review.pk)
    contest = review.reviewer.contest
    if review.status == Review.Status.SUBMITTED:
        raise ValidationError(_("This review is submitted and can no longer change."))
    if not review_is_open(contest):
        raise ValidationError(
            _("Review is not open: reviews can be saved only between voting closing and review closing.")
        )
    if not isinstance(scores, dict):
        raise ValidationError({"scores": _("Send the scores as an object keyed by criterion id.")})
    criteria = {criterion.pk: criterion for criterion in contest.criteria.all()}
    if not criteria:
        raise ValidationError(_("This contest has no rubric yet."))
    parsed: dict[int, tuple[int, str]] = {}
    for key, value in scores.items():
        try:
            criterion_id = int(key)
        except (TypeError, ValueError):
            criterion_id = None
        if criterion_id not in criteria:
            raise ValidationError({"scores": _("Unknown criterion %(id)s.") % {"id": key}})
        criterion = criteria[criterion_id]
        if not isinstance(value, dict):
            value = {"score": value}
        raw_score = value.get("score")
        comment = value.get("comment") or ""
        if not isinstance(comment, str) or len(comment) > 2000:
            raise ValidationError(
                {"scores": _("%(criterion)s: keep the comment under 2000 characters.") % {"criterion": criterion.name}}
            )
        if raw_score in (None, ""):
            if comment:
                raise ValidationError(
                    {"scores": _("%(criterion)s: give a score with your comment.") % {"criterion": criterion.name}}
                )
            continue
        parsed[criterion_id] = (_parse_score(raw_score, criterion.name), comment.strip())
    if submit:
        # PUT semantics: the request carries the whole review, so every criterion must be in it.
        missing = [criteria[pk].name for pk in criteria if pk not in parsed]
        if missing:
            raise ValidationError(
                {
                    "scores": _("Score every criterion before submitting (missing: %(names)s).")
                    % {"names": ", ".join(missing)}
                }
            )
    review.scores.exclude(criterion_id__in=list(parsed)).delete()
    for criterion_id, (score, comment) in parsed.items():
        CriterionScore.objects.update_or_create(
            review=review, criterion_id=criterion_id, defaults={"score": score, "comment": comment}
        )
    if submit:
        review.status = Review.Status.SUBMITTED
        review.submitted_at = timezone.now()
        _review_record(review=review, contest=contest, scores=parsed)
        points_sync_on_commit(target=review)  # a completed review earns the reviewer points
    else:
        review.status = Review.Status.DRAFT
    review.save(update_fields=["status", "submitted_at", "updated_at"])
    return review


@transaction.atomic
def winners_choose(*, contest: Contest, proposal_ids: list[int]) -> list[int]:
    """Mark these public proposals as the winners; an empty list goes back to the top K. Final once published."""
    review_settings = _settings_for_update(contest)
    if results_are_published(contest):
        raise ValidationError(_("Results are published; the winners are final."))
    wanted = set(proposal_ids)
    known = set(Proposal.objects.public().filter(contest=contest, pk__in=wanted).values_list("pk", flat=True))
    if wanted - known:
        raise ValidationError(_("Winners must be public proposals of this contest."))
    review_settings.chosen_winners.set(sorted(known))
    return sorted(known)


# --- Reminders and publication --------------------------------------------------------


@transaction.atomic
def reminders_send(*, contest: Contest, site_url: str) -> int:
    """Email every active reviewer who still has reviews to submit. Returns how many were emailed."""
    if not review_is_open(contest):
        raise ValidationError(_("Review is not open: reminders are sent only while reviewers can score."))
    pending = (
        Review.objects.filter(reviewer__contest=contest, reviewer__status=ContestReviewer.Status.ACTIVE)
        .exclude(status=Review.Status.SUBMITTED)
        .select_related("reviewer__user")
    )
    counts: dict[int, int] = {}
    users: dict[int, User] = {}
    for review in pending:
        counts[review.reviewer.user_id] = counts.get(review.reviewer.user_id, 0) + 1
        users[review.reviewer.user_id] = review.reviewer.user
    url = site_url.rstrip("/") + reverse("jury:dashboard")
    messages = []
    for user_id, count in counts.items():
        user = users[user_id]
        context = {"contest": contest, "count": count, "url": url, "name": user.public_name}
        subject = ngettext(
            "Reminder: %(count)d review to finish for “%(contest)s”",
            "Reminder: %(count)d reviews to finish for “%(contest)s”",
            count,
        ) % {
            "count": count,
            "contest": contest.title,
        }
        messages.append((user.email, subject, render_to_string("jury/email/reminder.txt", context)))
    emails_send_on_commit(messages)
    return len(messages)


@transaction.atomic
def results_publish(*, contest: Contest, actor: User | None = None) -> Contest:
    """Publish the results now, before `results_at` (contests.services.contest_results_publish). Only after voting."""
    _settings_for_update(contest)  # serialises with winner choices, which are final once this commits
    return contest_results_publish(contest=contest, actor=actor)
