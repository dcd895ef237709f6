from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.pow import challenge_check_and_use, challenge_error, challenge_issue
from common.validators import reject_control_characters


class SignupForm(forms.Form):
    """Extra sign-up field for allauth: the public display name."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown publicly next to your contributions. Your email address is never shown."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    pow_challenge = forms.CharField(widget=forms.HiddenInput, required=False)
    pow_solution = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        difficulty = settings.POW_SIGNUP_DIFFICULTY
        self.fields["pow_solution"].widget.attrs["data-pow-difficulty"] = difficulty
        if not self.is_bound:
            self.initial["pow_challenge"] = challenge_issue(scope="signup", difficulty=difficulty)

    def clean(self):
        cleaned = super().clean()
        difficulty = settings.POW_SIGNUP_DIFFICULTY
        if difficulty:
            # Used up only when nothing else is wrong, so a form sent back for a typo keeps its answer.
            check = challenge_error if self.errors else challenge_check_and_use
            error = check(
                challenge=cleaned.get("pow_challenge", ""),
                solution=cleaned.get("pow_solution", ""),
                scope="signup",
                min_difficulty=difficulty,
            )
            if error:
                raise forms.ValidationError(error)
        return cleaned

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
