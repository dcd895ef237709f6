from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.validators import reject_control_characters
from proposals.models import Proposal


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in proposals.services."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data if item]
        return [single_clean(data, initial)] if data else []


class ProposalForm(forms.ModelForm):
    """Title, summary, Markdown body and category; the category list is the contest's own."""

    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
    )

    class Meta:
        model = Proposal
        fields = ["title", "summary", "category", "body"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 16}),
        }
        help_texts = {
            "body": _("Markdown: **bold**, *italic*, lists, [links](https://example.org). HTML is shown as text."),
        }

    def __init__(self, *args, contest, attachment_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, in the reader's language (a class-level `%` would freeze it in English at import).
        self.fields["attachments"].help_text = gettext(
            "Images (JPEG, PNG, WebP, GIF) or PDF documents, up to %(size)s MB each, %(count)s in all."
        ) % {
            "size": settings.PROPOSAL_ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "count": settings.PROPOSAL_ATTACHMENT_MAX_COUNT,
        }
        self.fields["category"].queryset = contest.categories.all()
        self.fields["category"].required = False
        self.fields["category"].empty_label = _("No category")
        if attachment_choices:
            self.fields["remove_attachments"] = forms.TypedMultipleChoiceField(
                label=_("Remove attachments"),
                choices=attachment_choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def clean_title(self) -> str:
        # A title is one line: it goes into email subjects and notifications.
        title = self.cleaned_data["title"]
        reject_control_characters(title)
        return title

    def _post_clean(self):
        # The service validates and saves the model; the form only checks its own fields.
        pass


class CoAuthorInviteForm(forms.Form):
    email = forms.EmailField(label=_("Co-author's email address"), max_length=254)
