"""Who may do what with points, badges and boards (django-rules predicates).

Boards and badges are public; a contest's board is exactly as visible as the
contest (drafts only to those who may change it). The leaderboard preference is
always the signed-in user's own (engagement.views.PreferenceView).
"""

import rules


@rules.predicate
def can_view_contest(user, contest) -> bool:
    return contest is not None and bool(user.has_perm("contests.view_contest", contest))


rules.add_perm("engagement.view_contributor_board", can_view_contest)
