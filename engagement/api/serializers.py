from rest_framework import serializers

from engagement.selectors import DEFAULT_PERIOD, PERIODS


class ContributorBoardQuerySerializer(serializers.Serializer):
    contest = serializers.SlugField(required=False, max_length=80, help_text="Contest slug; omit for the site.")
    period = serializers.ChoiceField(choices=list(PERIODS), default=DEFAULT_PERIOD)


class ContributorEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    points = serializers.IntegerField()
    url = serializers.CharField()


class ContributorBoardSerializer(serializers.Serializer):
    type = serializers.CharField()
    scope = serializers.CharField(help_text='The contest slug, or "site".')
    period = serializers.ChoiceField(choices=list(PERIODS))
    version = serializers.IntegerField()
    updated_at = serializers.CharField()
    entries = ContributorEntrySerializer(many=True)
