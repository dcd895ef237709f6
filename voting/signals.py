"""Events voting announces to the apps above it (integrity listens, connected in its AppConfig.ready())."""

from django.dispatch import Signal

#: A ballot (updown, approval or stars) was stored or changed through a page or the API, after commit.
#: kwargs: vote_id, voter_id, proposal_id, contest_id, value, network (client address), device (a
#: short description of the client: user agent and language). Receivers must not fail the request.
ballot_cast = Signal()

#: Ballots stored together by the group committer (voting.groupcommit), after their commit, that the
#: event loop's fast lane answered: kwargs: ballots, a list of dicts with ballot_cast's kwargs. One
#: signal per transaction, so a receiver can hand the whole batch to one background task.
ballots_cast = Signal()
