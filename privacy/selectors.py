"""Everything the platform holds about one person, as JSON-ready data (the data export).

The export walks every relation that points at the user (proposals, co-authorships, comments,
votes, reviews, points, badges, notifications, follows, memberships, email addresses, …), so a
model added later is exported without a change here. Secrets are left out: password hashes,
token keys, session data.
"""

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

EXPORT_FORMAT_VERSION = 1
_SECRET_FIELDS = {"password", "key", "session_data", "secret", "token"}
_SKIPPED_MODELS = {"admin.logentry", "sessions.session"}
_USER_FIELDS = ["id", "email", "display_name", "date_joined", "last_login", "is_active"]


def _row(instance: models.Model) -> dict:
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SECRET_FIELDS:
            continue
        value = field.value_from_object(instance)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.name] = value
    return data


def _relations(user_model):
    for relation in user_model._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many or model._meta.label_lower in _SKIPPED_MODELS:
            continue
        yield relation.field.name, model


def user_data_export(*, user) -> dict:
    """The person's data: their account row and every row of every model that points at them."""
    user_model = get_user_model()
    sections: dict[str, list[dict]] = {}
    for field_name, model in _relations(user_model):
        rows = [_row(row) for row in model._default_manager.filter(**{field_name: user}).order_by("pk")]
        if rows:
            sections.setdefault(model._meta.label_lower, []).extend(rows)
    account = {name: getattr(user, name) for name in _USER_FIELDS}
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now(),
        "account": account,
        "data": dict(sorted(sections.items())),
    }


def user_data_export_json(*, user) -> str:
    import json

    return json.dumps(user_data_export(user=user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
