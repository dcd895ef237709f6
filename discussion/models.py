from django.db import models
from django.utils.translation import gettext_lazy as _


class CommentState(models.Model):
    """What Civitas adds to a comments-xtd comment: edits, deletion by its author, moderation, blocklist holds.

    One row per comment, created with it (discussion.services.comment_post). The
    comments-xtd flags are kept in step: `is_public` is False while the comment is
    held for review, `is_removed` is True once it is deleted or hidden.
    """

    comment = models.OneToOneField(
        "django_comments_xtd.XtdComment", on_delete=models.CASCADE, primary_key=True, related_name="civitas_state"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    is_held = models.BooleanField(default=False, help_text=_("Waits for a moderator (it matched the blocklist)."))
    held_reason = models.CharField(max_length=200, blank=True)
    hidden_reason = models.CharField(_("public reason for hiding"), max_length=500, blank=True)
    hidden_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True) | ~models.Q(hidden_reason=""),
                name="proposals_commentstate_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"State of comment {self.comment_id}"


class CommentBlocklist(models.Model):
    """Words and link fragments that hold an agency's comments for review instead of publishing them."""

    agency = models.OneToOneField("agencies.Agency", on_delete=models.CASCADE, related_name="comment_blocklist")
    terms = models.TextField(
        _("blocked words and links"),
        max_length=5000,
        blank=True,
        help_text=_("One per line. A comment containing any of them waits for a moderator."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Blocklist of {self.agency_id}"

    def term_list(self) -> list[str]:
        return [line.strip().lower() for line in self.terms.splitlines() if line.strip()]
