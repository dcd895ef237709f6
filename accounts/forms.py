from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, AgencyMembership, User
from common.uploads import clean_image_upload


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


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "description", "logo", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            cleaned = clean_image_upload(logo, max_bytes=settings.LOGO_MAX_BYTES, max_side=1024)
            return SimpleUploadedFile(cleaned.name, cleaned.content.read(), cleaned.content_type)
        return logo


class AgencyMemberForm(forms.Form):
    email = forms.EmailField(label=_("Email address of an existing account"))
    role = forms.ChoiceField(label=_("Role"), choices=AgencyMembership.Role.choices)
