from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _

from common.uploads import clean_image_upload
from contests.models import Contest
from contests.phases import DATE_FIELDS, Phase
from contests.services import EDITABLE_FIELDS

COVER_MAX_BYTES = 3 * 1024 * 1024
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
OPTIONAL_CHOICES = ("public_ranking", "vote_verification", "submit_verification")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class ContestForm(forms.ModelForm):
    """The contest editor. Validation of dates and weights lives in Contest.clean (shared with the API)."""

    categories = forms.CharField(
        label=_("Categories"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. Authors file their proposals under one of them."),
    )
    reason = forms.CharField(
        label=_("Reason for changing dates"),
        required=False,
        max_length=500,
        help_text=_("Required when you change a date of a published contest; shown publicly."),
    )

    class Meta:
        model = Contest
        fields = list(EDITABLE_FIELDS)
        # A plain file field: common.uploads checks the image (format, pixel budget) with clear messages.
        field_classes = {"cover_image": forms.FileField}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "rules": forms.Textarea(attrs={"rows": 6}),
            "rewards": forms.Textarea(attrs={"rows": 4}),
            **{field: DateTimeLocalInput() for field in DATE_FIELDS},
        }
        help_texts = {
            "slug": _("The contest's web address. Leave empty to derive it from the title."),
            "description": _("Markdown: **bold**, *italic*, [links](https://example.org), lists."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        # New contests rank by support per viewer; contests from before it keep plain counts.
        for name in OPTIONAL_CHOICES:
            self.fields[name].required = False
        if not self.instance.pk:
            self.initial.setdefault("public_ranking", Contest.PublicRanking.EXPOSURE)
        if self.instance.pk:
            self.initial.setdefault("categories", "\n".join(c.name for c in self.instance.categories.all()))
            if self.instance.is_published:
                # A published contest's address is out in the world; it stays.
                self.fields["slug"].disabled = True
        if not (self.instance.pk and self.instance.is_published):
            del self.fields["reason"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The inputs show minutes only; a date shown unchanged must not count as changed
            # (it would be logged as a deadline change) just because the stored value has seconds.
            for field in DATE_FIELDS:
                stored = getattr(self.instance, field, None)
                value = cleaned.get(field)
                if stored and value and value == stored.replace(second=0, microsecond=0):
                    cleaned[field] = stored
        return cleaned

    def _choice_or_current(self, name: str, new_default: str) -> str:
        # A form that leaves the choice out keeps the contest's value (a new contest: the default).
        value = self.cleaned_data.get(name)
        if value:
            return value
        return getattr(self.instance, name) if self.instance.pk else new_default

    def clean_public_ranking(self):
        return self._choice_or_current("public_ranking", Contest.PublicRanking.EXPOSURE)

    def clean_vote_verification(self):
        return self._choice_or_current("vote_verification", Contest.Verification.EMAIL)

    def clean_submit_verification(self):
        return self._choice_or_current("submit_verification", Contest.Verification.EMAIL)

    def clean_cover_image(self):
        cover = self.cleaned_data.get("cover_image")
        if isinstance(cover, UploadedFile):
            cleaned = clean_image_upload(
                cover, max_bytes=COVER_MAX_BYTES, max_side=2400, formats=("JPEG", "PNG", "WEBP")
            )
            return SimpleUploadedFile(cleaned.name, cleaned.content.read(), cleaned.content_type)
        return cover

    def category_names(self) -> list[str]:
        return self.cleaned_data.get("categories", "").splitlines()

    def service_fields(self) -> dict:
        """The cleaned model fields, in the shape the services take."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
        cover = self.cleaned_data.get("cover_image")
        data["cover_image"] = cover if isinstance(cover, UploadedFile) else (False if cover is False else None)
        if self.fields["slug"].disabled:
            data.pop("slug", None)
        return data


class ContestFilterForm(forms.Form):
    """The list page's filters. Unknown values are ignored rather than failing the page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args, agencies=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["agency"].choices = everything + list(agencies)
        self.fields["phase"].choices = everything + [(p.value, p.label) for p in Phase if p != Phase.DRAFT]
        self.fields["category"].choices = everything + list(categories)

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {name: self.cleaned_data.get(name, "") for name in ("q", "agency", "phase", "category")}
        return dict(self.cleaned_data)
