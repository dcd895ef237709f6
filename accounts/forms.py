from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.validators import reject_control_characters


class SignupForm(forms.Form):
    """Extra sign-up field for allauth: the public display name."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown publicly next to your contributions. Your email address is never shown."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a display name."))
        reject_control_characters(name)
        if "@" in name:
            raise forms.ValidationError(
                _("A display name cannot contain “@”, so it cannot be mistaken for an email address.")
            )
        return name

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]

    clean_display_name = SignupForm.clean_display_name
