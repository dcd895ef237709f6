"""Public JSON of the decision record: the entries (to re-hash independently) and a check of the chain."""

from django.core.cache import cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from record import selectors, services

VERIFY_CACHE_SECONDS = 30


class RecordPagination(PageNumberPagination):
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"


class RecordEntriesView(APIView):
    """Entries in chain order; `scope=contest:<id>` for one contest's acts, `after=<sequence>` to resume."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", str, description="e.g. contest:12"),
            OpenApiParameter("after", int, description="only entries with a higher sequence"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        try:
            after = max(0, min(int(request.query_params.get("after", 0)), 2**62))
        except ValueError:
            after = 0
        scope = request.query_params.get("scope", "")[:60]
        paginator = RecordPagination()
        page = paginator.paginate_queryset(selectors.record_entries(scope=scope, after=after), request, view=self)
        return paginator.get_paginated_response([selectors.record_entry_data(entry) for entry in page])


class RecordVerifyView(APIView):
    """Re-hash the whole chain: ok, number of entries, head, and every broken entry by sequence."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        # Re-hashing reads every entry; a burst of requests shares one result for a few seconds.
        head = services.record_head()
        key = f"record:verify:{head.sequence}:{head.hash}"
        result = cache.get(key)
        if result is None:
            result = services.record_verify().as_dict()
            cache.set(key, result, VERIFY_CACHE_SECONDS)
        return Response(result)
