"""Load demo data: agencies, people, and contests in every phase.

Idempotent: records are matched by slug or email and updated, never duplicated;
contest dates are re-anchored on today so each phase stays populated. Refuses to
run with DEBUG off unless --force, so it cannot seed a production site by mistake.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency, AgencyMembership
from contests.models import Contest
from demo import story
from microtasks.demo import seed_microtasks
from proposals.models import Proposal
from reports.demo import seed_reports_demo

DEMO_PASSWORD = "civitas-demo"  # noqa: S105 - demo accounts only, printed on purpose

AGENCIES = [
    (
        "city-water",
        "City Water Department",
        "Keeps the city's rivers, pipes and taps clean.",
        "https://water.example.org",
    ),
    (
        "transport",
        "Transport Authority",
        "Buses, trams, cycling lanes and safe streets.",
        "https://transport.example.org",
    ),
    ("parks", "Parks and Recreation", "Green spaces, playgrounds and community sport.", "https://parks.example.org"),
]

PEOPLE = [
    # email, display name, (agency slug, role) or None, superuser
    ("admin@example.org", "Site Admin", None, True),
    ("water.admin@example.org", "Wen Water", ("city-water", "admin"), False),
    ("water.manager@example.org", "Mara Manager", ("city-water", "manager"), False),
    ("transport.manager@example.org", "Tomas Transit", ("transport", "admin"), False),
    ("parks.manager@example.org", "Pia Parks", ("parks", "admin"), False),
    ("ada@example.org", "Ada", None, False),
    ("bo@example.org", "Bo Li", None, False),
    ("chen@example.org", "Chen Jing", None, False),
    ("dana@example.org", "Dana", None, False),
    ("eli@example.org", "Eli", None, False),
]

CITIZENS = ["ada@example.org", "bo@example.org", "chen@example.org", "dana@example.org", "eli@example.org"]

# Titles of the proposals earlier versions of the demo put in every contest (removed on the next run).
OLD_TITLES = [
    "Plant trees along the banks",
    "Sensors at every outflow",
    "Volunteer clean-up Saturdays",
    "Fines that fund repairs",
    "School adoption scheme",
    "Open data dashboard",
]

# slug, agency, title, summary, voting method, phase offsets in days from today:
# (submission opens, submission closes, voting opens, voting closes, review closes, results)
CONTESTS = [
    (
        "clean-rivers",
        "city-water",
        "Clean rivers by 2030",
        "How can we stop litter and runoff reaching our rivers?",
        "updown",
        (-20, 10, 10, 30, 40, 45),
    ),
    (
        "safer-crossings",
        "transport",
        "Safer school crossings",
        "Ideas to make every walk to school safe.",
        "approval",
        (-40, -10, -10, 12, 20, 25),
    ),
    (
        "night-buses",
        "transport",
        "Night bus network",
        "Where should night buses run?",
        "stars",
        (-60, -30, -30, -5, 10, 15),
    ),
    (
        "pocket-parks",
        "parks",
        "Pocket parks for every block",
        "Turn small empty lots into green corners.",
        "pairwise",
        (-30, -10, -10, 20, 30, 35),
    ),
    (
        "quiet-streets",
        "transport",
        "Quieter residential streets",
        "Less traffic noise where people live.",
        "updown",
        (-90, -60, -60, -40, -30, -20),
    ),
    (
        "water-fountains",
        "city-water",
        "Public drinking fountains",
        "Where should new fountains go?",
        "updown",
        (10, 40, 40, 60, 70, 80),
    ),
    (
        "playground-design",
        "parks",
        "Inclusive playground design",
        "Playgrounds every child can enjoy.",
        "stars",
        (-200, -170, -170, -150, -140, -130),
    ),
]


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    @transaction.atomic
    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: seed_demo would put demo accounts on a real site. Use --force to do it anyway."
            )
        Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "127.0.0.1:8000", "name": "Civitas"})
        agencies = {
            slug: Agency.objects.update_or_create(
                slug=slug, defaults={"name": name, "description": description, "website": website}
            )[0]
            for slug, name, description, website in AGENCIES
        }
        for email, display_name, membership, is_superuser in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=display_name)
            user.display_name = display_name
            user.is_superuser = user.is_staff = is_superuser
            user.save()
            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            if membership:
                agency_slug, role = membership
                AgencyMembership.objects.update_or_create(
                    agency=agencies[agency_slug], user=user, defaults={"role": role}
                )
        today = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
        for slug, agency_slug, title, summary, method, offsets in CONTESTS:
            dates = [today + timedelta(days=days) for days in offsets]
            Contest.objects.update_or_create(
                slug=slug,
                defaults={
                    "agency": agencies[agency_slug],
                    "title": title,
                    "summary": summary,
                    "description": f"## {title}\n\n{summary}\n\nProposals are judged on impact, cost and feasibility.",
                    "is_published": True,
                    "voting_method": method,
                    "submission_opens_at": dates[0],
                    "submission_closes_at": dates[1],
                    "voting_opens_at": dates[2],
                    "voting_closes_at": dates[3],
                    "review_closes_at": dates[4],
                    "results_at": dates[5],
                    "closes_at": today - timedelta(days=100) if slug == "playground-design" else None,
                },
            )
        for contest in Contest.objects.filter(slug__in=[row[0] for row in CONTESTS]):
            self._seed_proposals(contest, today)
        story.points_and_badges(contests=list(Contest.objects.filter(slug__in=[row[0] for row in CONTESTS])))
        Contest.objects.update_or_create(
            slug="draft-cycle-lanes",
            defaults={
                "agency": agencies["transport"],
                "title": "Protected cycle lanes (draft)",
                "summary": "Not published yet: only the agency sees it.",
                "is_published": False,
                "submission_opens_at": today + timedelta(days=30),
                "submission_closes_at": today + timedelta(days=60),
                "voting_opens_at": today + timedelta(days=60),
                "voting_closes_at": today + timedelta(days=80),
                "review_closes_at": today + timedelta(days=90),
                "results_at": today + timedelta(days=95),
            },
        )
        seed_microtasks(agency_slug="transport")
        seed_reports_demo(citizen_emails=CITIZENS)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Sign in as admin@example.org, water.manager@example.org or ada@example.org "
                f"with the password {DEMO_PASSWORD!r}."
            )
        )

    def _seed_proposals(self, contest: Contest, today) -> None:
        """The contest's own ideas, comment threads, official answers, the crowd's votes and (after review) the jury."""
        if contest.submission_opens_at > today:
            return
        Proposal.objects.filter(contest=contest, title__in=OLD_TITLES).delete()
        citizens = list(User.objects.filter(email__in=CITIZENS).order_by("email"))
        crowd = story.citizens_ensure(password=DEMO_PASSWORD)
        proposals = story.proposals_seed(contest=contest, authors=citizens + crowd[:40])
        story.comments_seed(proposals=proposals, people=citizens + crowd, now=today)
        manager = AgencyMembership.objects.filter(agency=contest.agency).select_related("user").first()
        if manager and contest.review_closes_at <= today and contest.voting_method != "pairwise":
            winners = story.jury_seed(
                contest=contest, proposals=proposals, manager=manager.user, password=DEMO_PASSWORD, winners=2
            )
            others = [proposal for proposal in proposals if proposal.pk not in winners]
            for number, pk in enumerate(winners):
                steps = ["shortlisted", "winner", "implemented"] if number == 0 else ["shortlisted", "winner"]
                story.answer(proposal=Proposal.objects.get(pk=pk), statuses=steps, responder=manager.user)
            story.answer(proposal=others[0], statuses=["under_review", "shortlisted"], responder=manager.user)
            story.answer(proposal=others[1], statuses=["shortlisted", "adopted"], responder=manager.user)
            story.answer(proposal=others[2], statuses=["declined"], responder=manager.user)
        elif manager and contest.voting_opens_at <= today:
            story.answer(proposal=proposals[0], statuses=["under_review"], responder=manager.user)
            story.answer(proposal=proposals[-1], statuses=["declined"], responder=manager.user)
        story.votes_seed(contest=contest, proposals=proposals, voters=citizens + crowd, now=today)
