from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from privacy.selectors import user_data_export


class AccountDataView(APIView):
    """Everything the platform holds about the signed-in person (the same data as the account page's download)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(user_data_export(user=request.user))
