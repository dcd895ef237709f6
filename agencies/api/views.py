from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import selectors, services
from agencies.api.serializers import AgencySerializer, MembershipRequestSerializer, MembershipSerializer
from agencies.models import Agency
from common.api import HasRulePermission, raise_drf_validation_error


class AgencyListCreateView(generics.ListCreateAPIView):
    """List agencies; site admins create them."""

    serializer_class = AgencySerializer
    permission_classes = [HasRulePermission.for_create("agencies.add_agency")]

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
        if not request.user.has_perm("agencies.manage_agency_members", agency):
            self.permission_denied(request, message=_("Only administrators of this agency can manage its members."))
        serializer = MembershipRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            membership = services.agency_member_set(agency=agency, **serializer.validated_data)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)
