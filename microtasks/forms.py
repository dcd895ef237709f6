"""Forms of the task pages: proof of a field task, a data-task answer, review, and a new campaign."""

from django import forms
from django.utils.translation import gettext_lazy as _

from microtasks.models import Campaign


class ProofForm(forms.Form):
    photo = forms.ImageField(
        label=_("Photo"), help_text=_("A photo that shows the work. Its location data is removed.")
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        for index, question in enumerate(campaign.questions or []):
            self.fields[f"answer_{index}"] = forms.CharField(label=question, max_length=500)
        if campaign.has_place:
            self.fields["latitude"].required = self.fields["longitude"].required = True

    def answers(self) -> dict:
        return {
            key.removeprefix("answer_"): value for key, value in self.cleaned_data.items() if key.startswith("answer_")
        }


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (needed to reject)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class CampaignForm(forms.ModelForm):
    questions_text = forms.CharField(
        label=_("Questions (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    choices_text = forms.CharField(
        label=_("Answer choices of a data task (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "instructions",
            "kind",
            "slots",
            "claim_minutes",
            "starts_at",
            "ends_at",
            "reward_points",
            "review_hours",
            "required_badge",
            "min_approved",
            "latitude",
            "longitude",
            "radius_m",
            "allow_redo",
            "answers_per_item",
            "agreement",
            "gold_accuracy_min",
            "gold_min_answers",
            "batch_size",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def campaign_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["questions"] = _lines(self.cleaned_data.get("questions_text", ""))
        fields["choices"] = _lines(self.cleaned_data.get("choices_text", ""))
        return fields


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ItemsUploadForm(forms.Form):
    csv_file = forms.FileField(
        label=_("Items as CSV"),
        required=False,
        help_text=_("Columns: id, text, and optionally gold (the known answer of a gold item)."),
    )
    images = forms.FileField(
        label=_("Or images (one item each)"),
        required=False,
        widget=MultipleFileInput(),
    )
