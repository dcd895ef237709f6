from rest_framework import serializers

from accounts.models import User


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
