"""Similar-proposal detection and merging duplicates.

`proposals_similar_to` finds public proposals of a contest that look like a
duplicate of a title and summary being typed. On PostgreSQL it ranks by pg_trgm
trigram similarity (the extension is enabled by migration
0002_enable_pg_trgm_extension); on SQLite, the embedded default, it falls back to
token overlap (Jaccard index of normalised words, stopwords removed).

`proposal_merge` folds a duplicate into another proposal of the same contest.
What other apps keep per proposal follows the duplicate to its target, inside the
merge's transaction: its discussion and its followers (moved here, those apps are
below proposals) and, through the `proposals.signals.proposal_merged` signal, what
higher apps keep (voting moves the ballots). Any failure rolls the whole merge back.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, FloatField, Value
from django.db.models.functions import Concat, Greatest
from django.utils.translation import gettext as _

from accounts.models import User
from contests.models import Contest
from discussion.services import comments_move
from notifications.services import notification_notify
from notifications.subscriptions import subscriptions_move
from proposals.models import Proposal
from proposals.notifications import PROPOSAL_MERGED
from proposals.signals import proposal_merged

# Scores below these are not worth showing an author (tuned on short titles: a
# shared distinctive word or two should match, "Park" vs "Parking fees" should not).
TRIGRAM_THRESHOLD = 0.3
JACCARD_THRESHOLD = 0.25
QUERY_MAX_LENGTH = 500

# Short English function words; other languages mostly fall through harmlessly as distinct tokens.
STOPWORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "could", "for", "from", "has", "have", "how",
        "i", "in", "into", "is", "it", "its", "of", "on", "or", "our", "should", "so", "that", "the", "their",
        "there", "these", "this", "to", "too", "up", "was", "we", "were", "what", "when", "where", "which",
        "who", "why", "will", "with", "would", "you", "your", "more", "less", "new", "make", "let", "all",
        "any", "use", "via",
    }
)  # fmt: skip
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SimilarProposal:
    proposal: Proposal
    similarity: float  # 0–1


def normalise_words(text: str) -> set[str]:
    """Lower-cased, accent-free words minus stopwords, with a plural "s" dropped ("parks" ~ "park")."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    words = set()
    for word in _WORD.findall(text):
        if word in STOPWORDS or (len(word) < 3 and not word.isdigit()):
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return words


def jaccard(left: set[str], right: set[str]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def _candidates(contest: Contest, exclude_id: int | None):
    proposals = Proposal.objects.public().filter(contest=contest)
    if exclude_id is not None:
        proposals = proposals.exclude(pk=exclude_id)
    return proposals


def _similar_trigram(proposals, title: str, summary: str, limit: int) -> list[SimilarProposal]:
    # Title against title, and everything typed against title + summary; the better of the two counts,
    # so a short title alone finds its duplicate and a long summary does not dilute a title match.
    scores = []
    if title:
        scores.append(TrigramSimilarity("title", Value(title)))
    if summary:
        whole = Concat("title", Value(" "), "summary", output_field=CharField())
        scores.append(TrigramSimilarity(whole, Value(f"{title} {summary}".strip())))
    score = scores[0] if len(scores) == 1 else Greatest(*scores, output_field=FloatField())
    rows = (
        proposals.annotate(similarity=score)
        .filter(similarity__gte=TRIGRAM_THRESHOLD)
        .select_related("contest")
        .order_by("-similarity", "-pk")[:limit]
    )
    return [SimilarProposal(proposal=proposal, similarity=float(proposal.similarity)) for proposal in rows]


def _similar_tokens(proposals, title: str, summary: str, limit: int) -> list[SimilarProposal]:
    typed_title = normalise_words(title)
    typed_all = typed_title | normalise_words(summary)
    if not typed_all:
        return []
    scored = []
    # One contest's public proposals: a bounded set (hundreds, rarely thousands), compared in memory.
    for proposal in proposals.select_related("contest").only("pk", "title", "summary", "contest__slug"):
        proposal_title = normalise_words(proposal.title)
        score = max(
            jaccard(typed_title, proposal_title),
            jaccard(typed_all, proposal_title | normalise_words(proposal.summary)),
        )
        if score >= JACCARD_THRESHOLD:
            scored.append(SimilarProposal(proposal=proposal, similarity=score))
    scored.sort(key=lambda item: (-item.similarity, -item.proposal.pk))
    return scored[:limit]


def proposals_similar_to(
    contest: Contest, title: str, summary: str = "", exclude_id: int | None = None, limit: int = 5
) -> list[SimilarProposal]:
    """Public proposals of `contest` that look like a duplicate of `title`/`summary`, most similar first.

    `exclude_id` leaves out the proposal being edited. Input is trimmed to
    QUERY_MAX_LENGTH characters each; empty input finds nothing.
    """
    title = (title or "").strip()[:QUERY_MAX_LENGTH]
    summary = (summary or "").strip()[:QUERY_MAX_LENGTH]
    if not (title or summary) or limit <= 0:
        return []
    proposals = _candidates(contest, exclude_id)
    if connection.vendor == "postgresql":
        return _similar_trigram(proposals, title, summary, limit)
    return _similar_tokens(proposals, title, summary, limit)


def _merge_target_error(*, duplicate: Proposal, target: Proposal) -> str | None:
    if duplicate.pk == target.pk:
        return _("A proposal cannot be merged into itself.")
    if duplicate.contest_id != target.contest_id:
        return _("Only proposals of the same contest can be merged.")
    if duplicate.merged_into_id is not None:
        return _("This proposal was already merged into another one.")
    if target.merged_into_id is not None:
        return _("The chosen proposal was itself merged into another one; merge into that one instead.")
    if target.status in (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN) or target.is_hidden:
        return _("Merge only into a proposal the public can see.")
    return None


@transaction.atomic
def proposal_merge(*, duplicate: Proposal, target: Proposal, moderator: User) -> Proposal:
    """Merge `duplicate` into `target` (same contest): the duplicate points at the target and its page redirects there.

    Caller has checked `proposals.merge_proposal` on the duplicate. Both rows are
    locked (in id order, so two crossing merges cannot deadlock); then comments,
    followers and (through `proposal_merged`) ballots move to the target, and the
    duplicate's authors are notified. Raises ValidationError (key "target") for a merge into itself,
    across contests, into a merged, hidden or non-public proposal, or of an
    already merged one.
    """
    locked = {
        proposal.pk: proposal
        for proposal in Proposal.objects.select_for_update()
        .select_related("contest")
        .filter(pk__in=[duplicate.pk, target.pk])
        .order_by("pk")
    }
    duplicate, target = locked[duplicate.pk], locked[target.pk]
    error = _merge_target_error(duplicate=duplicate, target=target)
    if error:
        raise ValidationError({"target": error})
    duplicate.merged_into = target
    duplicate.save(update_fields=["merged_into", "updated_at"])
    comments_move(source=duplicate, target=target)
    subscriptions_move(source=duplicate, target=target)
    proposal_merged.send(sender=Proposal, duplicate=duplicate, target=target)
    notification_notify(
        recipients=[duplicate.author, *User.objects.filter(coauthorships__proposal=duplicate)],
        kind=PROPOSAL_MERGED.key,
        data={
            "proposal_id": duplicate.pk,
            "proposal_title": duplicate.title,
            "target_id": target.pk,
            "target_title": target.title,
        },
        url=target.get_absolute_url(),
    )
    return duplicate


def proposal_merge_candidates(*, proposal: Proposal, limit: int = 200) -> list[Proposal]:
    """Public proposals of the same contest a manager may merge `proposal` into: likely duplicates first, then the rest."""
    similar = [
        item.proposal
        for item in proposals_similar_to(proposal.contest, proposal.title, proposal.summary, exclude_id=proposal.pk)
    ]
    seen = {item.pk for item in similar}
    others = [
        other
        for other in _candidates(proposal.contest, proposal.pk)
        .select_related("contest")
        .order_by("title", "pk")[:limit]
        if other.pk not in seen
    ]
    return similar + others
