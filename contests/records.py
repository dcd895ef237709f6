"""Contest acts in the decision record (record app): publication, date changes, results publication.

What the results were at publication is not contests' to compute: the app that ranks them
(jury) registers a summary function in `results_summaries`, and its output is written into
the results entry, so a result changed afterwards no longer matches the record.
"""

from collections.abc import Callable
from dataclasses import dataclass

from common.registry import Registry
from contests.models import Contest
from record.services import contest_scope, record_append


@dataclass(frozen=True)
class ResultsSummary:
    """Gives the facts of a contest's results worth recording (JSON-safe: ids and scores as text)."""

    summarise: Callable[[Contest], dict]


results_summaries: Registry[str, ResultsSummary] = Registry("results_summaries")


def contest_act_record(*, kind: str, contest: Contest, actor=None, payload: dict | None = None):
    """Append a contest act to the decision record, in the caller's transaction."""
    return record_append(kind=kind, target=contest, scope=contest_scope(contest.pk), actor=actor, payload=payload)


def contest_results_record(*, contest: Contest, actor=None, trigger: str) -> None:
    """The results-publication entry: when, how (`trigger`: "early" by a manager or "scheduled"), and the results."""
    payload: dict = {"trigger": trigger, "slug": contest.slug}
    for name, summary in sorted(results_summaries.items()):
        payload[name] = summary.summarise(contest)
    contest_act_record(kind="contest.results_published", contest=contest, actor=actor, payload=payload)
