"""What proposals tell people (notification kinds), and how proposals are followed and take part in contests.

Registered in proposals.apps: the kinds with notifications.kinds, Proposal as a followable
with notifications.subscriptions, and authors as participants with contests.notifications.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from notifications.kinds import NotificationKind
from notifications.subscriptions import Followable
from proposals.models import Proposal, ProposalCoAuthor
from proposals.rules import is_public_proposal


def _status_label(status: str) -> str:
    try:
        return str(Proposal.Status(status).label)
    except ValueError:
        return status


def _render_proposal_status(data: dict) -> str:
    return _("%(agency)s answered your proposal “%(title)s”: %(status)s.") % {
        "agency": data.get("agency_name", ""),
        "title": data.get("proposal_title", ""),
        "status": _status_label(data.get("status", "")),
    }


def _render_followed_proposal_status(data: dict) -> str:
    return _("%(agency)s answered “%(title)s”, a proposal you follow: %(status)s.") % {
        "agency": data.get("agency_name", ""),
        "title": data.get("proposal_title", ""),
        "status": _status_label(data.get("status", "")),
    }


def _render_proposal_merged(data: dict) -> str:
    return _("Your proposal “%(title)s” was merged into “%(target)s” by the moderators.") % {
        "title": data.get("proposal_title", ""),
        "target": data.get("target_title", ""),
    }


def _render_proposal_hidden(data: dict) -> str:
    return _("Your proposal “%(title)s” was hidden by the moderators. Reason: %(reason)s") % {
        "title": data.get("proposal_title", ""),
        "reason": data.get("reason", ""),
    }


def _render_coauthor_invitation(data: dict) -> str:
    return _("%(name)s invited you to co-author “%(title)s”.") % {
        "name": data.get("inviter_name", ""),
        "title": data.get("proposal_title", ""),
    }


def _render_coauthor_accepted(data: dict) -> str:
    return _("%(name)s is now a co-author of “%(title)s”.") % {
        "name": data.get("coauthor_name", ""),
        "title": data.get("proposal_title", ""),
    }


PROPOSAL_STATUS = NotificationKind(
    "proposal_status", gettext_lazy("Official answer to a proposal"), _render_proposal_status
)
FOLLOWED_PROPOSAL_STATUS = NotificationKind(
    "followed_proposal_status",
    gettext_lazy("Official answer to a proposal you follow"),
    _render_followed_proposal_status,
)
PROPOSAL_MERGED = NotificationKind("proposal_merged", gettext_lazy("Proposal merged"), _render_proposal_merged)
PROPOSAL_HIDDEN = NotificationKind(
    "proposal_hidden", gettext_lazy("Proposal hidden by moderators"), _render_proposal_hidden
)
COAUTHOR_INVITATION = NotificationKind(
    "coauthor_invitation", gettext_lazy("Co-author invitation"), _render_coauthor_invitation
)
COAUTHOR_ACCEPTED = NotificationKind("coauthor_accepted", gettext_lazy("Co-author accepted"), _render_coauthor_accepted)
KINDS = (
    PROPOSAL_STATUS,
    FOLLOWED_PROPOSAL_STATUS,
    PROPOSAL_MERGED,
    PROPOSAL_HIDDEN,
    COAUTHOR_INVITATION,
    COAUTHOR_ACCEPTED,
)


def _proposal_by_id(key: str) -> Proposal | None:
    # Ids beyond a 64-bit integer are not ids: not found, never a database error.
    if not key.isdigit() or len(key) > 18:
        return None
    return Proposal.objects.select_related("contest__agency").filter(pk=int(key)).first()


def _proposal_is_visible(user, proposal: Proposal) -> bool:
    return bool(is_public_proposal(user, proposal))


def _proposal_key(proposal: Proposal) -> str:
    return str(proposal.pk)


def _proposals_with_contest() -> QuerySet:
    return Proposal.objects.select_related("contest")


FOLLOWABLE = Followable(
    model=Proposal,
    segment="proposals",
    label=gettext_lazy("Proposal"),
    lookup=_proposal_by_id,
    is_visible=_proposal_is_visible,
    url_key=_proposal_key,
    queryset=_proposals_with_contest,
)


def contest_authors(contest) -> QuerySet:
    """User ids of the authors and co-authors of the contest's public proposals (contests.notifications)."""
    public = Proposal.objects.public().filter(contest=contest)
    coauthors = ProposalCoAuthor.objects.filter(proposal__in=public).values("user_id")
    return User.objects.filter(Q(pk__in=public.values("author_id")) | Q(pk__in=coauthors)).values("pk")
