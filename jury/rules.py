"""Who may do what in jury review (django-rules predicates).

Permissions take a Contest (with its agency loaded); who reviews what is checked by
jury.selectors.reviewer_role and the services. Phase and lock checks live in the services,
which give the specific message ("review is closed", "already submitted").
"""

import rules

from accounts.rules import is_site_admin
from contests.phases import results_are_published
from contests.rules import is_manager_of_contest_agency, is_published_contest


@rules.predicate
def has_published_results(user, contest) -> bool:
    return contest is not None and results_are_published(contest)


can_manage_review = is_site_admin | is_manager_of_contest_agency

rules.add_perm("jury.manage_review", can_manage_review)
rules.add_perm("jury.view_results", (is_published_contest & has_published_results) | can_manage_review)
