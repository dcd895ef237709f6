"""Who may do what with contests (django-rules predicates).

`contests.add_contest` is checked against an agency; the other permissions are
checked against a contest. Drafts are visible only to those who may change
them; everyone else gets a 404, so a draft's existence is never revealed.
"""

import rules
from django.utils.translation import gettext as _

from accounts.rules import is_site_admin
from accounts.verification import verification_methods
from agencies.rules import is_agency_manager
from contests.models import Contest


@rules.predicate
def is_manager_of_contest_agency(user, contest) -> bool:
    """Managers and admins of the agency that runs the contest."""
    if contest is None:
        return False
    return is_agency_manager(user, contest.agency)


@rules.predicate
def is_published_contest(user, contest) -> bool:
    return contest is not None and contest.is_published


can_change_contest = is_site_admin | is_manager_of_contest_agency

rules.add_perm("contests.add_contest", is_site_admin | is_agency_manager)
rules.add_perm("contests.change_contest", can_change_contest)
rules.add_perm("contests.publish_contest", can_change_contest)
rules.add_perm("contests.view_contest", is_published_contest | can_change_contest)


def verification_refusal(user, contest, action: str) -> str | None:
    """Why `user` lacks the verification level the contest asks for `action` ("vote" or "submit"); None if they have it.

    Email is checked by the callers first (with their own wording); this adds the stricter
    levels a contest may choose (accounts.verification: phone, census).
    """
    level = contest.vote_verification if action == "vote" else contest.submit_verification
    if not level or level == Contest.Verification.EMAIL:
        return None
    method = verification_methods.get(level)
    if method is None or method.is_met(user, contest.agency):
        return None
    if action == "vote":
        return _("This contest asks for this before voting: %(level)s. %(how)s") % {
            "level": method.label,
            "how": method.how_to,
        }
    return _("This contest asks for this before submitting: %(level)s. %(how)s") % {
        "level": method.label,
        "how": method.how_to,
    }
