from django import forms
from django.utils.translation import gettext_lazy as _

from jury.models import ContestReviewSettings


class ReviewSettingsForm(forms.ModelForm):
    class Meta:
        model = ContestReviewSettings
        fields = ["reviewers_per_proposal", "blind", "normalise", "winners_count"]
        widgets = {
            "reviewers_per_proposal": forms.NumberInput(attrs={"min": 1, "max": 20}),
            "winners_count": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    description = forms.CharField(label=_("Description"), max_length=1000, required=False)
    weight = forms.IntegerField(label=_("Weight (%)"), min_value=1, max_value=100, required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True, max_num=20, absolute_max=40)


class InviteReviewerForm(forms.Form):
    email = forms.EmailField(label=_("Reviewer's email address"), max_length=254)


class AssignForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        help_text=_("The same seed gives the same assignment. Leave empty to keep the current one."),
    )


class ReviewForm(forms.Form):
    """One score (0–10) and an optional comment per rubric criterion."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("Score for “%(name)s” (0–10)") % {"name": criterion.name},
                min_value=0,
                max_value=10,
                required=False,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(name)s” (optional)") % {"name": criterion.name},
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        return {
            str(c.pk): {
                "score": self.cleaned_data.get(f"score_{c.pk}"),
                "comment": self.cleaned_data.get(f"comment_{c.pk}"),
            }
            for c in self.criteria
        }
