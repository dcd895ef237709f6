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


class RewardSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    agency = serializers.CharField(source="agency.slug", read_only=True)
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    points_price = serializers.IntegerField(min_value=1, max_value=10**9)
    stock = serializers.IntegerField(min_value=0, max_value=10**9)


class RedemptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reward = serializers.IntegerField(source="reward_id")
    reward_name = serializers.CharField(source="reward.name")
    points = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    handed_over_at = serializers.DateTimeField(allow_null=True)


class BalanceSerializer(serializers.Serializer):
    points = serializers.IntegerField()
