"""GET/POST /api/v1/<segment>/<key>/comments/: a discussion (a proposal's, a contest's), threaded, and posting to it.

Comments carry `html` rendered by the project's sanitiser only, and the author's
public id and display name, never an email address.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import raise_drf_validation_error
from common.ratelimit import client_ip
from discussion import selectors, services
from discussion.discussables import discussable_for_segment
from discussion.rules import comment_max_length, comment_refusal


class CommentAuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True, source="parent_id")
    level = serializers.IntegerField()
    author = serializers.SerializerMethodField()
    status = serializers.ChoiceField(
        choices=["visible", "held", "deleted", "hidden"],
        help_text="held: waits for a moderator (only its author sees it); deleted/hidden: a placeholder.",
    )
    html = serializers.CharField(help_text="Sanitised HTML; empty for deleted and hidden comments.")
    hidden_reason = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    edited = serializers.BooleanField()
    likes = serializers.IntegerField()
    dislikes = serializers.IntegerField()
    my_reaction = serializers.ChoiceField(choices=["like", "dislike"], allow_null=True)
    children = serializers.SerializerMethodField()

    @extend_schema_field(CommentAuthorSerializer(allow_null=True))
    def get_author(self, node) -> dict | None:
        if node.author_id is None:
            return None  # deleted and hidden comments do not say who wrote them
        return {"id": node.author_id, "display_name": node.author_name}

    @extend_schema_field(serializers.ListField(child=serializers.DictField(), help_text="Replies, same shape."))
    def get_children(self, node) -> list[dict]:
        return CommentSerializer(node.children, many=True).data


class CommentCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=comment_max_length(), help_text="Markdown.")
    parent = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1, help_text="Id of the comment replied to."
    )
    followup = serializers.BooleanField(required=False, default=True, help_text="Notify me of new comments.")


class DiscussionView(APIView):
    """Read a discussion as a tree (anyone who may see its target); post a comment or reply (verified citizens)."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    segment = ""

    def _target(self, request, route: dict):
        # The one URL argument names the target: a proposal's id (pk) or a contest's slug.
        (key,) = route.values()
        discussable = discussable_for_segment(self.segment)
        target = discussable.lookup(str(key), request.user) if discussable is not None else None
        if target is None:
            raise NotFound
        return target

    @extend_schema(
        parameters=[OpenApiParameter("ordering", str, enum=list(selectors.COMMENT_ORDERINGS), required=False)],
        responses={
            200: inline_serializer(
                "CommentThread",
                {"count": serializers.IntegerField(), "results": CommentSerializer(many=True)},
            )
        },
    )
    def get(self, request, **route):
        target = self._target(request, route)
        roots = selectors.comment_thread(
            target=target, user=request.user, ordering=request.query_params.get("ordering", "")[:20]
        )
        return Response(
            {"count": selectors.comment_count(target=target), "results": CommentSerializer(roots, many=True).data}
        )

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def post(self, request, **route):
        target = self._target(request, route)
        refusal = comment_refusal(request.user, target)
        if refusal:
            raise PermissionDenied(refusal)
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            comment = services.comment_post(
                author=request.user,
                target=target,
                text=serializer.validated_data["text"],
                parent_id=serializer.validated_data.get("parent"),
                followup=serializer.validated_data["followup"],
                ip_address=client_ip(request),
            )
        except DjangoValidationError as error:
            raise_drf_validation_error(error)
        except services.CommentRateLimited as error:
            raise Throttled(detail=str(error)) from error
        node = next(
            node
            for node in selectors.comment_thread_flat(selectors.comment_thread(target=target, user=request.user))
            if node.id == comment.pk
        )
        return Response(CommentSerializer(node).data, status=status.HTTP_201_CREATED)
