"""Comment moderation API for agency managers: held comments, hide and restore, the agency's blocklist."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.selectors import agency_for_action
from common.api import raise_drf_validation_error
from discussion import selectors, services
from discussion.discussables import discussables
from discussion.models import CommentBlocklist


def _moderated_comment(request, comment_id):
    """The comment if the user may see its discussion (404) and moderates it (403)."""
    comment = selectors.comment_get(comment_id=comment_id)
    target = comment.civitas_target if comment is not None else None
    if target is None or not discussables[target].is_visible(request.user, target):
        raise Http404
    if not request.user.has_perm("discussion.moderate_comment", comment):
        raise PermissionDenied(_("Only the agency running this contest moderates its comments."))
    return comment


class CommentHideSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Public: shown in place of the comment.")


class CommentHideView(APIView):
    """Hide a comment with a public reason; its author is told why."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=CommentHideSerializer, responses={204: None})
    def post(self, request, comment_id):
        comment = _moderated_comment(request, comment_id)
        serializer = CommentHideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.comment_hide(comment=comment, moderator=request.user, reason=serializer.validated_data["reason"])
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentRestoreView(APIView):
    """Publish a hidden or held comment again."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, comment_id):
        comment = _moderated_comment(request, comment_id)
        try:
            services.comment_restore(comment=comment, moderator=request.user)
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HeldCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    author = serializers.CharField(source="user.public_name", allow_null=True)
    html = serializers.CharField(source="rendered_html")
    submitted_at = serializers.DateTimeField(source="submit_date")
    url = serializers.SerializerMethodField()

    def get_url(self, comment) -> str:
        return f"{comment.civitas_target.get_absolute_url()}#c{comment.pk}"


class HeldCommentsView(APIView):
    """Comments of the agency's contests held by its blocklist, oldest first: restore publishes, hide refuses."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: HeldCommentSerializer(many=True)})
    def get(self, request, slug):
        agency = agency_for_action(user=request.user, slug=slug, permission="agencies.manage_agency_contests")
        return Response(HeldCommentSerializer(selectors.comment_list_held(agency=agency), many=True).data)


class BlocklistSerializer(serializers.Serializer):
    terms = serializers.CharField(
        max_length=5000, allow_blank=True, help_text="One word or link fragment per line; matching comments wait."
    )


class BlocklistView(APIView):
    """GET or PUT the agency's blocked words and links (managers of the agency's contests)."""

    permission_classes = [permissions.IsAuthenticated]

    def _agency(self, request, slug):
        return agency_for_action(user=request.user, slug=slug, permission="agencies.manage_agency_contests")

    @extend_schema(responses={200: BlocklistSerializer})
    def get(self, request, slug):
        blocklist = CommentBlocklist.objects.filter(agency=self._agency(request, slug)).first()
        return Response({"terms": blocklist.terms if blocklist else ""})

    @extend_schema(request=BlocklistSerializer, responses={200: BlocklistSerializer})
    def put(self, request, slug):
        agency = self._agency(request, slug)
        serializer = BlocklistSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            blocklist = services.blocklist_update(agency=agency, terms=serializer.validated_data["terms"])
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        return Response({"terms": blocklist.terms})
