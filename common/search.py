"""Search in English and Chinese: text is turned into tokens once, when it is written, and searched as tokens.

Chinese has no spaces between words, so Chinese runs are cut into words by jieba (search mode: a
long word also yields its shorter parts, so 河流 finds 河流治理); everything else is split into
lowercase words. The tokens are stored space-separated in a search column of the model.

- PostgreSQL: the columns are searched through a GIN index over `to_tsvector('english', …)`.
  The English configuration stems the Latin words (rivers → river) and drops English stop words;
  jieba's tokens contain no Latin letters, so they pass through as whole words — in effect the
  'simple' configuration over the Chinese tokens and English stemming for the rest. Ranked with
  ts_rank_cd, title (weight A) above summary and body (weight B).
- SQLite (the embedded default): the same tokens; every query token must start a token of the
  columns (so "river" finds "rivers", not "driver"), title matches rank first; no stemming beyond
  that prefix rule, and no index (a scan of the contest's rows).
"""

from __future__ import annotations

import logging
import re
import threading

from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RUNS = re.compile(rf"([{_CJK}]+)|([^\W_]+)", re.UNICODE)
_LOCK = threading.Lock()
_jieba = None
SEARCH_CONFIG = "english"
MAX_QUERY_TOKENS = 12


def _segmenter():
    """jieba, loaded once per process (its dictionary takes about a second to load)."""
    global _jieba
    if _jieba is None:
        with _LOCK:
            if _jieba is None:
                import jieba  # noqa: PLC0415 - deferred: loading the dictionary is slow

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def search_tokens(text: str) -> list[str]:
    """The words of `text`: jieba's words for Chinese runs (with their shorter parts), lowercase words otherwise."""
    tokens: list[str] = []
    for cjk, word in _TOKEN_RUNS.findall(text or ""):
        if cjk:
            tokens.extend(piece for piece in _segmenter().cut_for_search(cjk) if piece.strip())
        else:
            tokens.append(word.lower())
    return tokens


def search_text(*parts: str) -> str:
    """The search column's value for these texts: tokens, space-separated, with a space at both ends."""
    tokens = [token for part in parts for token in search_tokens(part)]
    return f" {' '.join(tokens)} " if tokens else ""


def _query_tokens(q: str) -> list[str]:
    seen: list[str] = []
    for token in search_tokens((q or "")[:200]):
        if token not in seen:
            seen.append(token)
    return seen[:MAX_QUERY_TOKENS]


def search_vector():
    """The indexed expression (see the migrations that create the GIN indexes): keep both identical."""
    from django.contrib.postgres.search import SearchVector  # noqa: PLC0415 - PostgreSQL only

    return SearchVector("search_title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "search_body", weight="B", config=SEARCH_CONFIG
    )


def search_filter(queryset: QuerySet, q: str) -> tuple[QuerySet, bool]:
    """`queryset` narrowed to rows matching every word of `q`, annotated with `search_rank`.

    Returns (queryset, searched): searched is False when `q` holds no word, and the queryset is unchanged.
    The model has `search_title` and `search_body` columns filled with `search_text`.
    """
    tokens = _query_tokens(q)
    if not tokens:
        return queryset, False
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank  # noqa: PLC0415

        query = SearchQuery(" ".join(tokens), config=SEARCH_CONFIG, search_type="plain")
        vector = search_vector()
        matched = queryset.annotate(search_match=vector).filter(search_match=query)
        return matched.annotate(search_rank=SearchRank(vector, query, cover_density=True)), True
    condition = Q()
    title_hits = []
    for token in tokens:
        pattern = f" {token}"
        condition &= Q(search_title__contains=pattern) | Q(search_body__contains=pattern)
        title_hits.append(Case(When(search_title__contains=pattern, then=Value(2)), default=Value(0)))
        title_hits.append(Case(When(search_body__contains=pattern, then=Value(1)), default=Value(0)))
    rank = sum(title_hits[1:], start=title_hits[0])
    ranked = queryset.filter(condition).annotate(
        search_rank=Coalesce(rank, Value(0), output_field=IntegerField()) * Value(1.0, output_field=FloatField())
    )
    return ranked, True


def search_order(queryset: QuerySet, *then) -> QuerySet:
    """Best matches first, then the given tie-breakers."""
    return queryset.order_by(F("search_rank").desc(), *then)
