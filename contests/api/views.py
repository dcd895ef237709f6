from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from common.api import raise_drf_validation_error
from contests import selectors, services
from contests.api.serializers import (
    ContestCreateSerializer,
    ContestDetailSerializer,
    ContestListQuerySerializer,
    ContestSerializer,
    ContestUpdateSerializer,
)


class ContestListCreateView(generics.ListCreateAPIView):
    """Published contests, filtered by `agency`, `phase`, `category` and full-text `q`; agency managers create drafts."""

    serializer_class = ContestSerializer

    def get_queryset(self):
        query = ContestListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.contest_list(**query.validated_data)

    @extend_schema(parameters=[ContestListQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ContestCreateSerializer, responses={201: ContestDetailSerializer})
    def post(self, request, *args, **kwargs):
        serializer = ContestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        agency = data.pop("agency")
        if not request.user.has_perm("contests.add_contest", agency):
            self.permission_denied(request, message=_("Only managers of this agency can create its contests."))
        categories = data.pop("categories", [])
        try:
            contest = services.contest_create(agency=agency, fields=data, categories=categories)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        contest = selectors.contest_detail(slug=contest.slug)
        return Response(ContestDetailSerializer(contest).data, status=status.HTTP_201_CREATED)


class ContestDetailView(generics.GenericAPIView):
    """One contest. Drafts are visible only to managers of its agency (404 for everyone else)."""

    serializer_class = ContestDetailSerializer

    def _contest(self, permission: str):
        contest = selectors.contest_detail(slug=self.kwargs["slug"])
        if contest is None or not self.request.user.has_perm("contests.view_contest", contest):
            raise Http404
        if permission != "contests.view_contest" and not self.request.user.has_perm(permission, contest):
            self.permission_denied(self.request, message=_("Only managers of this agency can change its contests."))
        return contest

    def get(self, request, slug):
        return Response(ContestDetailSerializer(self._contest("contests.view_contest")).data)

    @extend_schema(request=ContestUpdateSerializer, responses={200: ContestDetailSerializer})
    def patch(self, request, slug):
        contest = self._contest("contests.change_contest")
        serializer = ContestUpdateSerializer(contest, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        categories = data.pop("categories", None)
        reason = data.pop("reason", "")
        try:
            contest = services.contest_update(
                contest=contest, changed_by=request.user, fields=data, categories=categories, reason=reason
            )
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(ContestDetailSerializer(selectors.contest_detail(slug=contest.slug)).data)


class ContestPublishView(ContestDetailView):
    """Publish a draft (agency managers). Publishing an already published contest is a 400."""

    http_method_names = ["post", "options"]

    @extend_schema(request=None, responses={200: ContestDetailSerializer})
    def post(self, request, slug):
        contest = self._contest("contests.publish_contest")
        try:
            contest = services.contest_publish(contest=contest, actor=request.user)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(ContestDetailSerializer(selectors.contest_detail(slug=contest.slug)).data)
