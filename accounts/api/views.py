from allauth.account.adapter import get_adapter
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api.serializers import (
    AgencySerializer,
    MembershipRequestSerializer,
    MembershipSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from accounts.models import Agency
from accounts.rules import is_verified
from common.api import HasRulePermission, raise_drf_validation_error


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
        return Response({"token": token.key})


class AgencyListCreateView(generics.ListCreateAPIView):
    """List agencies; site admins create them."""

    serializer_class = AgencySerializer
    permission_classes = [HasRulePermission.for_create("accounts.add_agency")]

    def get_queryset(self):
        return selectors.agency_list()

    def perform_create(self, serializer):
        try:
            serializer.instance = services.agency_create(**serializer.validated_data)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)


class AgencyDetailView(generics.RetrieveAPIView):
    serializer_class = AgencySerializer
    queryset = Agency.objects.all()
    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]


class AgencyMemberCreateView(APIView):
    """Give an existing account a role in the agency (agency admins)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=MembershipRequestSerializer, responses={201: MembershipSerializer})
    def post(self, request, slug):
        agency = get_object_or_404(Agency, slug=slug)
        if not request.user.has_perm("accounts.manage_agency_members", agency):
            self.permission_denied(request, message=_("Only administrators of this agency can manage its members."))
        serializer = MembershipRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            membership = services.agency_member_set(agency=agency, **serializer.validated_data)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)
