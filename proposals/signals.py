"""Events of the proposals app that higher apps react to (their receivers connect in AppConfig.ready()).

`proposal_merged` is sent inside proposal_merge's transaction, with `duplicate` (already pointing
at its target) and `target`: an app that keeps something per proposal (voting: ballots) moves
it there. A receiver that raises rolls the whole merge back, so it is sent with `send`, not
`send_robust`. Apps below proposals (discussion, notifications) are called by the merge directly.
"""

from django.dispatch import Signal

proposal_merged = Signal()
