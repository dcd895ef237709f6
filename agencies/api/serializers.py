from rest_framework import serializers

from accounts.api.serializers import PublicUserSerializer
from agencies.models import Agency, AgencyMembership


class AgencySerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    slug = serializers.SlugField(max_length=80, required=False)

    class Meta:
        model = Agency
        fields = ["slug", "name", "description", "website", "logo", "url", "created_at"]
        read_only_fields = ["logo", "created_at"]


class AgencySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["slug", "name"]


class MembershipRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=AgencyMembership.Role.choices)


class MembershipSerializer(serializers.ModelSerializer):
    user = PublicUserSerializer(read_only=True)

    class Meta:
        model = AgencyMembership
        fields = ["id", "user", "role"]
