from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyMembership
from common.uploads import clean_image_upload


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "description", "logo", "website"]
        # A plain file field: common.uploads checks the image (format, pixel budget) with clear messages.
        field_classes = {"logo": forms.FileField}
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            cleaned = clean_image_upload(
                logo, max_bytes=settings.LOGO_MAX_BYTES, max_side=1024, formats=("PNG", "JPEG", "WEBP")
            )
            return SimpleUploadedFile(cleaned.name, cleaned.content.read(), cleaned.content_type)
        return logo


class AgencyMemberForm(forms.Form):
    email = forms.EmailField(label=_("Email address of an existing account"))
    role = forms.ChoiceField(label=_("Role"), choices=AgencyMembership.Role.choices)
