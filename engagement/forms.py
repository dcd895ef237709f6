from django import forms

from engagement.models import EngagementPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = EngagementPreference
        fields = ["show_on_leaderboards"]
