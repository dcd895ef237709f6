"""JSON API for the signed-in user's notifications: list (paginated, newest first), mark one or all read."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.kinds import notification_text
from notifications.models import Notification
from notifications.selectors import notification_list_for_user
from notifications.services import notification_mark_all_read, notification_mark_read


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField(help_text="The notification in the request's language.")
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "is_read", "read_at", "created_at"]
        read_only_fields = fields

    def get_text(self, notification: Notification) -> str:
        return notification_text(notification)

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationListView(generics.ListAPIView):
    """The signed-in user's notifications, newest first. `?unread=1` lists only unread ones."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only unread notifications when true (1).")]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        notifications = notification_list_for_user(user=self.request.user)
        if self.request.query_params.get("unread") in ("1", "true", "yes"):
            notifications = notifications.filter(read_at__isnull=True)
        return notifications


class NotificationReadView(APIView):
    """Mark one of the user's notifications read (marking it again changes nothing). 404 if it is not theirs."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: NotificationSerializer})
    def post(self, request, pk: int):
        if not notification_mark_read(user=request.user, notification_id=pk):
            raise Http404
        notification = notification_list_for_user(user=request.user).get(pk=pk)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    """Mark every unread notification of the user read."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: inline_serializer("NotificationsMarkedRead", {"marked": serializers.IntegerField()})},
    )
    def post(self, request):
        return Response({"marked": notification_mark_all_read(user=request.user)})
