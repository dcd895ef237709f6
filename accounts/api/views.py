from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.api.authentication import ExpiringTokenAuthentication, token_is_expired
from accounts.api.serializers import TokenRequestSerializer, TokenResponseSerializer
from accounts.rules import is_verified


class TokenObtainView(APIView):
    """Exchange an email and password for an API token. Failures say nothing about which part was wrong."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            # allauth's adapter applies the sign-in form's limits on failed attempts (per IP and
            # per account), so the API is no side door for guessing passwords.
            user = get_adapter(request._request).authenticate(
                request._request,
                email=serializer.validated_data["email"],
                password=serializer.validated_data["password"],
            )
        except DjangoValidationError as error:  # "too many failed attempts"
            raise Throttled from error
        if user is None or not user.is_active:
            raise ValidationError({"detail": _("Unable to sign in with the email and password given.")})
        if not is_verified(user):
            raise ValidationError({"detail": _("Verify your email address before using the API.")})
        token, _created = Token.objects.get_or_create(user=user)
        if token_is_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})


class TokenRevokeView(APIView):
    """Revoke the token this request is signed with (sign out of the API); a new one is a sign-in away."""

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        Token.objects.filter(key=request.auth.key).delete()
        return Response(status=204)
