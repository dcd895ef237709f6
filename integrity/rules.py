"""Who may see and decide what the integrity monitor holds back (django-rules predicates).

Permissions take a Contest with its agency loaded.
"""

import rules

from accounts.rules import is_site_admin
from contests.phases import results_are_published
from contests.rules import is_manager_of_contest_agency, is_published_contest


@rules.predicate
def contest_results_are_out(user, contest) -> bool:
    return contest is not None and results_are_published(contest)


can_review_ballots = is_site_admin | is_manager_of_contest_agency

rules.add_perm("integrity.review_ballots", can_review_ballots)
# The report is published with the results; the agency's managers see it while they review.
rules.add_perm("integrity.view_report", (is_published_contest & contest_results_are_out) | can_review_ballots)
