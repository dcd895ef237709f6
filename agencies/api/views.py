from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import selectors, services
from agencies.api.serializers import AgencySerializer, MembershipRequestSerializer, MembershipSerializer
from agencies.forms import AgencyForm
from agencies.models import Agency, AgencyMembership
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


class AgencyUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(allow_blank=True, required=False)
    website = serializers.URLField(allow_blank=True, required=False)
    logo = serializers.ImageField(required=False, help_text="multipart/form-data; checked and re-encoded.")


class AgencyDetailView(generics.RetrieveAPIView):
    """The agency's public profile; its admins PATCH name, description, website and logo (as the edit page does)."""

    serializer_class = AgencySerializer
    queryset = Agency.objects.all()
    lookup_field = "slug"
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(request=AgencyUpdateSerializer, responses={200: AgencySerializer})
    def patch(self, request, slug):
        agency = selectors.agency_for_action(user=request.user, slug=slug, permission="agencies.change_agency")
        current = {name: getattr(agency, name) for name in ("name", "description", "website")}
        data = {**current, **{key: request.data[key] for key in current if key in request.data}}
        form = AgencyForm(data=data, files=request.FILES, instance=agency)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return Response(AgencySerializer(form.save()).data)


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


class AgencyMemberRemoveView(APIView):
    """Remove a member from the agency (agency admins); the last admin stays."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, slug, membership_id):
        agency = selectors.agency_for_action(user=request.user, slug=slug, permission="agencies.manage_agency_members")
        try:
            services.agency_member_remove(agency=agency, membership_id=membership_id)
        except AgencyMembership.DoesNotExist as error:
            raise NotFound() from error
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(status=status.HTTP_204_NO_CONTENT)
