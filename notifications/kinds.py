"""Kinds of notification: what each one says, registered by the app whose event it reports.

A notification stores its kind and the facts it is about (`data`), never a sentence: the
text is rendered when it is read, in the reader's language, by its kind's `render`. An app
that notifies registers its kinds in `AppConfig.ready()`:

    notification_kinds.register(PROPOSAL_STATUS.key, PROPOSAL_STATUS)

`label` names the kind on the email preferences page, where each kind can be muted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from common.registry import Registry
from notifications.models import Notification


@dataclass(frozen=True)
class NotificationKind:
    key: str  # stored in Notification.kind; at most 40 characters
    label: Promise  # "Official answer to a proposal", shown on the preferences page
    render: Callable[[dict], str]  # data -> the sentence, in the active language


notification_kinds: Registry[str, NotificationKind] = Registry("notification kinds")


def notification_text(notification: Notification) -> str:
    """The notification's sentence in the active language, from its stored kind and data."""
    kind = notification_kinds.get(notification.kind)
    if kind is None:  # a kind whose app was removed: say nothing rather than fail the inbox
        return ""
    return kind.render(notification.data or {})
