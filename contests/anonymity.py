"""Whether a contest hides the names of its proposals' authors right now (blind jury review).

The jury app (above every app that shows authors) registers the check in its `AppConfig.ready()`;
proposals, discussion and engagement ask `authors_hidden(contest)` before naming an author.
The answer is kept on the contest instance for the rest of the request.
"""

from collections.abc import Callable

from common.registry import Registry

author_anonymity: Registry[str, Callable[[object], bool]] = Registry("author_anonymity")


def authors_hidden(contest) -> bool:
    if contest is None:
        return False
    cached = getattr(contest, "_authors_hidden", None)
    if cached is None:
        cached = any(check(contest) for check in author_anonymity.values())
        contest._authors_hidden = cached
    return cached


def authors_hidden_from(user, contest, author_ids) -> bool:
    """Hidden for `user`: the authors themselves (`author_ids`) always see their own names."""
    if not authors_hidden(contest):
        return False
    return not (user is not None and user.is_authenticated and user.pk in set(author_ids))
