from rest_framework import serializers

from accounts.models import Agency, AgencyMembership, User


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class PublicUserSerializer(serializers.ModelSerializer):
    """How a person appears in the API: id and display name, never the email."""

    display_name = serializers.CharField(source="public_name")

    class Meta:
        model = User
        fields = ["id", "display_name"]


class AgencySerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    slug = serializers.SlugField(max_length=80, required=False)

    class Meta:
        model = Agency
        fields = ["slug", "name", "description", "website", "logo", "url", "created_at"]
        read_only_fields = ["logo", "created_at"]


class MembershipRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=AgencyMembership.Role.choices)


class MembershipSerializer(serializers.ModelSerializer):
    user = PublicUserSerializer(read_only=True)

    class Meta:
        model = AgencyMembership
        fields = ["id", "user", "role"]
