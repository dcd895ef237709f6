"""Open311 GeoReport v2 under /open311/v2/: services, service definitions, service requests (GET and POST).

Field names, status values ("open", "closed") and error shapes follow the specification
(wiki.open311.org/GeoReport_v2). Every resource comes as .json or .xml. POST needs the API key
of a registered client application (reports.models.Open311Client); the request is reported by
that application's account.
"""

from datetime import UTC, timedelta
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from common.ratelimit import write_rate_limited
from reports.coverage import service_codes
from reports.models import Report, ServiceCategory
from reports.services import open311_client_for_key, report_create

FORMATS = ("json", "xml")
MAX_REQUESTS = 1000
DEFAULT_WINDOW_DAYS = 90
SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
REQUEST_FIELDS = (
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
)  # fmt: skip
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


def _w3c(value) -> str:
    return timezone.localtime(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def _xml_value(parent, name: str, value) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, list):
        item_name = {"attributes": "attribute", "values": "value"}.get(name, "item")
        for item in value:
            _xml_dict(ElementTree.SubElement(element, item_name), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def _xml_dict(element, data: dict) -> None:
    for key, value in data.items():
        _xml_value(element, key, value)


def _respond(fmt: str, root: str, item: str | None, data, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(data, safe=False, status=status)
    element = ElementTree.Element(root)
    if item is None:
        _xml_dict(element, data)
    else:
        for entry in data:
            _xml_dict(ElementTree.SubElement(element, item), entry)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(
        element, encoding="utf-8", xml_declaration=False
    )
    return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _respond(fmt, "errors", "error", [{"code": status, "description": description}], status=status)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404


def service_json(category: ServiceCategory) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.extra_questions),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def attribute_json(question: dict, order: int) -> dict:
    values = question.get("values") or []
    datatype = question.get("datatype") or ("singlevaluelist" if values else "string")
    return {
        "variable": True,
        "code": question.get("code", ""),
        "datatype": datatype if datatype in DATATYPES else "string",
        "required": bool(question.get("required")),
        "datatype_description": question.get("datatype_description", ""),
        "order": order,
        "description": question.get("description", ""),
        "values": [{"key": str(value.get("key", "")), "name": str(value.get("name", ""))} for value in values],
    }


def request_json(report: Report, request) -> dict:
    latest_note = next((update.note for update in reversed(report.updates.all()) if update.note), "")
    photo = next(iter(report.photos.all()), None)
    return {
        "service_request_id": str(report.pk),
        "status": "open" if report.status in Report.UNRESOLVED else "closed",
        "status_notes": latest_note,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.agency.name,
        "service_notice": "",
        "requested_datetime": _w3c(report.created_at),
        "updated_datetime": _w3c(report.updated_at),
        "expected_datetime": _w3c(report.due_at),
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": report.latitude,
        "long": report.longitude,
        "media_url": request.build_absolute_uri(f"/reports/{report.pk}/photos/{photo.pk}/") if photo else "",
    }


def _requests_queryset():
    return Report.objects.public().select_related("category", "agency").prefetch_related("updates", "photos")


class ServiceListView(View):
    def get(self, request, fmt):
        _check_format(fmt)
        return _respond(fmt, "services", "service", [service_json(category) for category in service_codes()])


class ServiceDefinitionView(View):
    def get(self, request, code, fmt):
        _check_format(fmt)
        category = next((category for category in service_codes() if category.code == code), None)
        if category is None:
            return _error(fmt, 404, "service_code not found")
        attributes = [
            attribute_json(question, order) for order, question in enumerate(category.extra_questions or [], 1)
        ]
        return _respond(fmt, "service_definition", None, {"service_code": code, "attributes": attributes})


def _parse_date(value: str):
    parsed = parse_datetime(value) if value else None
    if value and parsed is None:
        raise ValueError(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


@method_decorator(csrf_exempt, name="dispatch")  # clients authenticate with an API key, not a session cookie
class RequestListView(View):
    def get(self, request, fmt):
        _check_format(fmt)
        reports = _requests_queryset()
        ids = [value for value in request.GET.get("service_request_id", "").split(",") if value.strip()]
        if ids:
            if not all(value.strip().isdigit() and len(value.strip()) < 18 for value in ids):
                return _error(fmt, 400, "service_request_id must be numbers separated by commas")
            reports = reports.filter(pk__in=[int(value) for value in ids])
        else:
            try:
                start, end = (
                    _parse_date(request.GET.get("start_date", "")),
                    _parse_date(request.GET.get("end_date", "")),
                )
            except ValueError:
                return _error(fmt, 400, "start_date and end_date must be W3C date-times")
            if start is None and end is None:
                start = timezone.now() - timedelta(days=DEFAULT_WINDOW_DAYS)
            if start is not None:
                reports = reports.filter(created_at__gte=start)
            if end is not None:
                reports = reports.filter(created_at__lte=end)
            codes = [code.strip() for code in request.GET.get("service_code", "").split(",") if code.strip()]
            if codes:
                reports = reports.filter(category__code__in=codes)
            statuses = {value.strip() for value in request.GET.get("status", "").split(",") if value.strip()}
            if statuses - {"open", "closed"}:
                return _error(fmt, 400, "status must be open or closed")
            if statuses == {"open"}:
                reports = reports.filter(status__in=Report.UNRESOLVED)
            elif statuses == {"closed"}:
                reports = reports.exclude(status__in=Report.UNRESOLVED)
        rows = [request_json(report, request) for report in reports.order_by("-created_at", "-pk")[:MAX_REQUESTS]]
        return _respond(fmt, "service_requests", "request", rows)

    def post(self, request, fmt):
        _check_format(fmt)
        key = request.POST.get("api_key", "")
        if not key:
            return _error(fmt, 400, "api_key was not provided")
        client = open311_client_for_key(key)
        if client is None:
            return _error(fmt, 403, "Invalid api_key")
        if write_rate_limited(request):
            return _error(fmt, 429, "Too many requests")
        if not request.POST.get("service_code"):
            return _error(fmt, 400, "service_code was not provided")
        if not (request.POST.get("lat") and request.POST.get("long")):
            return _error(fmt, 400, "lat and long are required (this server does not geocode address_string)")
        answers = {
            name[len("attribute[") : -1]: value for name, value in request.POST.items() if name.startswith("attribute[")
        }
        try:
            report = report_create(
                reporter=client.user,
                latitude=request.POST["lat"],
                longitude=request.POST["long"],
                description=request.POST.get("description", ""),
                category_code=request.POST["service_code"],
                address=request.POST.get("address_string", ""),
                answers=answers,
                source_client=client,
                is_anonymous=True,
            )
        except ValidationError as error:
            return _error(fmt, 400, " ".join(error.messages))
        return _respond(
            fmt,
            "service_requests",
            "request",
            [{"service_request_id": str(report.pk), "service_notice": "", "account_id": ""}],
        )


class RequestDetailView(View):
    def get(self, request, request_id, fmt):
        _check_format(fmt)
        report = (
            _requests_queryset().filter(pk=int(request_id)).first()
            if request_id.isdigit() and len(request_id) < 18
            else None
        )
        if report is None:
            return _error(fmt, 404, "service_request_id not found")
        return _respond(fmt, "service_requests", "request", [request_json(report, request)])
