"""Forms of the report pages: report a problem, change a status, bulk changes, the follow-up answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from reports.coverage import service_codes
from reports.models import Report
from reports.workflow import NOTE_MAX


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files under one name; each is checked by reports.photos in the service."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(item, initial) for item in files]


def category_choices() -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in service_codes():
        groups.setdefault(category.group, []).append((category.code, category.name))
    choices: list = [("", _("Choose a kind of problem"))]
    for group, items in groups.items():
        choices.extend(items) if not group else choices.append((group, items))
    return choices


class ReportForm(forms.Form):
    photos = MultipleImageField(
        label=_("Photos"),
        required=False,
        help_text=_("Take or choose up to 4 photos. Their location, if they have one, is offered as the place."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}),
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    address = forms.CharField(label=_("Address or landmark"), max_length=300, required=False)
    category = forms.ChoiceField(label=_("Kind of problem"))
    description = forms.CharField(label=_("What is wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    is_anonymous = forms.BooleanField(
        label=_("Report anonymously"),
        required=False,
        help_text=_("Your name is hidden from the public; the agency still knows who reported."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Report.Status.choices)
    close_reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=[("", "—"), *Report.CloseReason.choices], required=False
    )
    rejection_reason = forms.ChoiceField(
        label=_("Rejection reason"), choices=[("", "—"), *Report.RejectionReason.choices], required=False
    )
    passed_to = forms.ModelChoiceField(
        label=_("Passed to agency"), queryset=Agency.objects.order_by("name"), required=False
    )
    note = forms.CharField(
        label=_("Public note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BulkStatusForm(forms.Form):
    reports = forms.TypedMultipleChoiceField(label=_("Reports"), coerce=int)
    status = forms.ChoiceField(label=_("New status"), choices=Report.Status.choices)
    close_reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=[("", "—"), *Report.CloseReason.choices], required=False
    )
    rejection_reason = forms.ChoiceField(
        label=_("Rejection reason"), choices=[("", "—"), *Report.RejectionReason.choices], required=False
    )
    note = forms.CharField(label=_("Public note"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args, report_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(pk, pk) for pk in report_ids]


class FollowupForm(forms.Form):
    is_fixed = forms.TypedChoiceField(
        label=_("Is the problem really fixed?"),
        choices=[("yes", _("Yes, it is fixed")), ("no", _("No, it is not fixed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Anything to add?"), max_length=NOTE_MAX, required=False)
