"""Writes for contests. Callers have checked the matching `contests.*` permission.

Every change of a published contest's dates goes through contest_update(),
which logs it in DeadlineChange (shown publicly on the contest page).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from agencies.models import Agency
from contests.models import Category, Contest, DeadlineChange
from contests.phases import DATE_FIELDS, results_are_published
from contests.records import contest_act_record, contest_results_record

# What a manager may set, in the order the form shows it. Publication state is changed only by contest_publish().
EDITABLE_FIELDS = (
    "title",
    "slug",
    "summary",
    "description",
    "rules",
    "rewards",
    "cover_image",
    *DATE_FIELDS,
    "allow_overlap",
    "voting_method",
    "approval_limit",
    "stars_prior_weight",
    "public_ranking",
    "integrity_monitoring",
    "vote_verification",
    "submit_verification",
    "max_proposals_per_citizen",
    "public_weight",
    "jury_weight",
)
MAX_CATEGORIES = 30
# Ballots already cast were cast under these; changing them once voting opened would change their meaning.
LOCKED_ONCE_VOTING_OPENS = ("voting_method", "approval_limit", "public_ranking", "vote_verification")
# Path segments of contests.urls that a slug must not shadow.
RESERVED_SLUGS = frozenset({"new"})


def _unique_contest_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "contest"
    if base in RESERVED_SLUGS:
        base = f"{base}-contest"
    slug, counter = base, 2
    taken = Contest.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _check_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This address is reserved; choose another.")})


def _clean_category_names(names: list[str]) -> list[str]:
    """Strip, drop blanks and duplicates (by slug), and check limits."""
    cleaned: dict[str, str] = {}
    for raw in names:
        name = (raw or "").strip()
        if not name:
            continue
        if len(name) > 80:
            raise ValidationError({"categories": _("A category name can have at most 80 characters.")})
        slug = slugify(name)[:80]
        if not slug:
            raise ValidationError({"categories": _("“%(name)s” needs at least one letter or digit.") % {"name": name}})
        cleaned.setdefault(slug, name)
    if len(cleaned) > MAX_CATEGORIES:
        raise ValidationError(
            {"categories": _("A contest can have at most %(max)s categories.") % {"max": MAX_CATEGORIES}}
        )
    return list(cleaned.values())


def _set_categories(contest: Contest, names: list[str]) -> None:
    """Make the contest's categories exactly `names` (matched by slug; existing ones keep their id)."""
    wanted = {slugify(name)[:80]: name for name in names}
    existing = {category.slug: category for category in contest.categories.all()}
    contest.categories.exclude(slug__in=wanted).delete()
    for slug, name in wanted.items():
        category = existing.get(slug)
        if category is None:
            Category.objects.create(contest=contest, slug=slug, name=name)
        elif category.name != name:
            category.name = name
            category.save(update_fields=["name"])


def _apply(contest: Contest, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        if name == "cover_image":
            # A file replaces the cover, False removes it, None/"" leaves it as it is.
            if value is False:
                contest.cover_image = ""
            elif value:
                contest.cover_image = value
            continue
        setattr(contest, name, value)


@transaction.atomic
def contest_create(*, agency: Agency, fields: dict[str, Any], categories: list[str] | None = None) -> Contest:
    """Create a draft contest for `agency`. The slug is derived from the title unless given.

    Raises ValidationError (field-keyed) for anything invalid; nothing is saved then.
    """
    contest = Contest(agency=agency)
    _apply(contest, fields)
    if not contest.slug:
        contest.slug = _unique_contest_slug(contest.title or "")
    category_names = _clean_category_names(categories or [])
    _check_slug(contest.slug)
    contest.full_clean()
    contest.save()
    _set_categories(contest, category_names)
    return contest


@transaction.atomic
def contest_update(
    *,
    contest: Contest,
    changed_by: User,
    fields: dict[str, Any],
    categories: list[str] | None = None,
    reason: str = "",
) -> Contest:
    """Change a contest. On a published contest every date change is logged with `reason`.

    A published contest keeps its slug (links to it are out in the world) and a
    date change needs a reason, because the log is public. Raises
    ValidationError and saves nothing when the change is invalid.
    """
    contest = Contest.objects.select_for_update().select_related("agency").get(pk=contest.pk)
    old_dates = {field: getattr(contest, field) for field in DATE_FIELDS}
    old_slug = contest.slug
    old_voting = {field: getattr(contest, field) for field in LOCKED_ONCE_VOTING_OPENS}
    voting_has_opened = contest.is_published and old_dates["voting_opens_at"] <= timezone.now()
    _apply(contest, fields)
    if voting_has_opened:
        for field, old_value in old_voting.items():
            if getattr(contest, field) != old_value:
                raise ValidationError({field: _("Voting has opened; the voting rules can no longer change.")})
    if contest.is_published and contest.slug != old_slug:
        raise ValidationError({"slug": _("The address of a published contest cannot change.")})
    if not contest.slug:
        contest.slug = _unique_contest_slug(contest.title, exclude_pk=contest.pk)
    category_names = None if categories is None else _clean_category_names(categories)
    _check_slug(contest.slug)
    contest.full_clean()

    changes = [
        DeadlineChange(
            contest=contest,
            field=field,
            old_value=old_dates[field],
            new_value=getattr(contest, field),
            changed_by=changed_by,
            reason=reason.strip(),
        )
        for field in DATE_FIELDS
        if getattr(contest, field) != old_dates[field]
    ]
    if contest.is_published and changes:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the dates change; the reason is shown publicly.")})
        if len(reason.strip()) > 500:
            raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
        DeadlineChange.objects.bulk_create(changes)
        contest_act_record(
            kind="contest.dates_changed",
            contest=contest,
            actor=changed_by,
            payload={
                "reason": reason.strip(),
                "changes": {change.field: [change.old_value, change.new_value] for change in changes},
            },
        )
    contest.save()
    if category_names is not None:
        _set_categories(contest, category_names)
    return contest


@transaction.atomic
def contest_publish(*, contest: Contest, actor: User | None = None) -> Contest:
    """Make a draft public, and record it with its dates. Publishing twice is refused with a message."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.is_published:
        raise ValidationError(_("This contest is already published."))
    contest.full_clean()
    contest.is_published = True
    contest.published_at = timezone.now()
    contest.save(update_fields=["is_published", "published_at", "updated_at"])
    contest_act_record(
        kind="contest.published",
        contest=contest,
        actor=actor,
        payload={
            "slug": contest.slug,
            "title": contest.title,
            "voting_method": contest.voting_method,
            "dates": {field: getattr(contest, field) for field in DATE_FIELDS},
        },
    )
    return contest


@transaction.atomic
def contest_results_publish(*, contest: Contest, actor: User | None = None) -> Contest:
    """Publish the results now, before `results_at` (the phase becomes "results"). Only once voting has closed."""
    locked = Contest.objects.select_for_update().get(pk=contest.pk)
    if timezone.now() < locked.voting_closes_at:
        raise ValidationError(_("Results can be published only after voting closes."))
    if results_are_published(locked):
        raise ValidationError(_("The results are already published."))
    locked.results_published_at = timezone.now()
    locked.save(update_fields=["results_published_at", "updated_at"])
    contest.results_published_at = locked.results_published_at  # the caller's copy says so too
    contest_results_record(contest=locked, actor=actor, trigger="early")
    return locked
