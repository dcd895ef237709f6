"""The one place user-written text becomes HTML.

Markdown is rendered, then cleaned by bleach against a single allow-list, so no
raw HTML, event handler or script URL survives. Links get rel="nofollow ugc
noopener" because they point somewhere the site does not vouch for.
"""

import re
import threading
from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i",
        "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "abbr": ["title"], "td": ["align"], "th": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


_LINK_TARGETS = (
    re.compile(r"\]\(\s*<?([^)>]+)"),
    re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+)", re.MULTILINE),
    re.compile(r"<([a-z][a-z0-9+.\-]*:[^>\s]*)>", re.IGNORECASE),
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


def has_unsafe_link(text: str) -> bool:
    """True if the Markdown links to a scheme outside ALLOWED_PROTOCOLS (javascript:, data:, vbscript:, …).

    The sanitiser would drop such a link anyway; refusing it tells the author why it vanished.
    """
    for pattern in _LINK_TARGETS:
        for match in pattern.finditer(text):
            # Browsers ignore control characters and blanks inside a scheme ("java\tscript:").
            target = re.sub(r"[\x00-\x20]", "", match.group(1))
            scheme = _SCHEME.match(target)
            if scheme and scheme.group(1).lower() not in ALLOWED_PROTOCOLS:
                return True
    return False


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _new_cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"})],
    )


# A bleach Cleaner keeps parser state between calls and is not thread-safe (bleach documents it);
# every ASGI request runs in its own thread, so each thread gets its own Cleaner, built once.
_local = threading.local()


def _cleaner() -> bleach.Cleaner:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _new_cleaner()
    return cleaner


def sanitize_html(html: str) -> SafeString:
    """Clean untrusted HTML against the allow-list; the result is safe to render (from any thread)."""
    return mark_safe(_cleaner().clean(html or ""))  # noqa: S308 - cleaned by bleach just above


def render_markdown(text: str) -> SafeString:
    """Render user Markdown to cleaned HTML. Raw HTML in the input is escaped, never passed through."""
    md = markdown.Markdown(extensions=["sane_lists", "tables", "fenced_code"], output_format="html")
    # Escape raw HTML before Markdown sees it: bleach would strip tags anyway,
    # but escaping keeps the text the user typed visible instead of silently dropped.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return sanitize_html(md.convert(text or ""))
