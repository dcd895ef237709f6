"""After Redis returns, every kind of live board watched in the process is pushed afresh, not only leaderboards."""

import engagement.live  # noqa: F401 - registers the contributor boards, as the app does at start-up
from live.channel_layer import board_groups


def test_resubscription_refreshes_leaderboards_and_contributor_boards():
    names = ["civitas__group__lb.12", "civitas__group__cb.site.week", "civitas__group__zz.1", "civitasspecific.abc"]
    assert board_groups(names) == ["lb.12", "cb.site.week"]
