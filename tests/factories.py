"""factory_boy factories for every model the tests build."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency, AgencyMembership
from contests.models import Contest

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified citizen. Pass `verified=False` for one whose email is not confirmed."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=extracted is not False)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    description = "Runs public services."
    website = "https://agency.example.org"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyMembership

    agency = factory.SubFactory(AgencyFactory)
    user = factory.SubFactory(UserFactory)
    role = AgencyMembership.Role.MANAGER


def _days(n: int):
    return factory.LazyFunction(lambda: timezone.now() + timedelta(days=n))


class ContestFactory(factory.django.DjangoModelFactory):
    """A published contest in its submission phase; use the traits for other phases."""

    class Meta:
        model = Contest

    agency = factory.SubFactory(AgencyFactory)
    title = factory.Sequence(lambda n: f"Contest {n}")
    slug = factory.Sequence(lambda n: f"contest-{n}")
    summary = "A policy challenge."
    description = "Describe **your** idea."
    is_published = True
    submission_opens_at = _days(-5)
    submission_closes_at = _days(5)
    voting_opens_at = _days(5)
    voting_closes_at = _days(10)
    review_closes_at = _days(15)
    results_at = _days(20)

    class Params:
        draft = factory.Trait(is_published=False)
        upcoming = factory.Trait(submission_opens_at=_days(1), submission_closes_at=_days(5), voting_opens_at=_days(5))
        voting = factory.Trait(
            submission_opens_at=_days(-10),
            submission_closes_at=_days(-5),
            voting_opens_at=_days(-5),
            voting_closes_at=_days(5),
        )
        results = factory.Trait(
            submission_opens_at=_days(-40),
            submission_closes_at=_days(-30),
            voting_opens_at=_days(-30),
            voting_closes_at=_days(-20),
            review_closes_at=_days(-10),
            results_at=_days(-5),
        )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contests.Category"

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProposalFactory(factory.django.DjangoModelFactory):
    """A submitted proposal; pass `status="draft"` (and `submitted_at=None`) for a draft."""

    class Meta:
        model = "proposals.Proposal"

    contest = factory.SubFactory(ContestFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    summary = "Plant trees along the river banks."
    body = "We should **plant** trees.\n\n- cheap\n- green"
    status = "submitted"
    submitted_at = factory.LazyFunction(timezone.now)


class ProposalCoAuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "proposals.ProposalCoAuthor"

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory(UserFactory)


class CriterionFactory(factory.django.DjangoModelFactory):
    """A jury rubric criterion (weights of one contest should add up to 100)."""

    class Meta:
        model = "jury.Criterion"

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    description = "How well the proposal does on this."
    weight = 100
    position = factory.Sequence(lambda n: n)


class ContestReviewerFactory(factory.django.DjangoModelFactory):
    """An active jury reviewer with a verified account; pass `user=None, status="invited"` for a pending invitation."""

    class Meta:
        model = "jury.ContestReviewer"

    contest = factory.SubFactory(ContestFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda reviewer: reviewer.user.email if reviewer.user else "invitee@example.org")
    status = "active"
    invited_by = factory.SubFactory(UserFactory)
    accepted_at = factory.LazyFunction(timezone.now)
