"""Public report pages: map and list, reporting a problem, a report's page, "me too", photos, the follow-up.

Staff actions are in reports.views_staff, Open311 in reports.open311.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from common.forms import add_service_errors
from common.ratelimit import WriteRateLimitMixin, write_rate_limited
from reports import selectors, services
from reports.coverage import service_codes
from reports.forms import FollowupForm, ReportForm, StatusForm
from reports.geo import point_check
from reports.models import Report, ReportPhoto
from reports.photos import photo_location
from reports.rules import metoo_refusal
from reports.views_staff import reassign_choices
from reports.workflow import report_followup_answer

LIST_PAGE_SIZE = 50


def map_settings() -> dict:
    try:
        lat, lng, zoom = (float(part) for part in settings.REPORT_MAP_CENTER.split(","))
    except ValueError:
        lat, lng, zoom = 0.0, 0.0, 2.0
    return {
        "tileUrl": settings.REPORT_MAP_TILE_URL,
        "attribution": settings.REPORT_MAP_TILE_ATTRIBUTION,
        "center": [lat, lng],
        "zoom": zoom,
    }


def _nearby_json(report: Report, user) -> dict:
    return {
        "id": report.pk,
        "url": report.get_absolute_url(),
        "category": report.category.name,
        "status": report.get_status_display(),
        "distance_m": round(report.distance_m),
        "me_too": report.me_too_count,
        "description": report.description[:140],
        "me_too_url": f"/reports/{report.pk}/metoo/",
        "can_me_too": metoo_refusal(user, report) is None,
    }


class ReportMapView(View):
    """The map (JavaScript) over a list that works without it, both filtered by status and kind of problem."""

    def get(self, request):
        status, code = request.GET.get("status", ""), request.GET.get("category", "")
        page = Paginator(selectors.report_list(status=status, category_code=code), LIST_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "page": page,
            "status": status,
            "category": code,
            "statuses": Report.Status.choices,
            "categories": service_codes(),
            "map_settings": map_settings(),
            "query_string": urlencode({"status": status, "category": code}),
        }
        return render(request, "reports/report_map.html", context)


class ReportGeoJSONView(View):
    """GET /reports/map.geojson?bbox=west,south,east,north&status=&category= for the map."""

    def get(self, request):
        try:
            west, south, east, north = (float(part) for part in request.GET.get("bbox", "-180,-90,180,90").split(","))
            point_check(south, west)
            point_check(north, east)
        except (ValueError, ValidationError):
            return JsonResponse({"detail": _("Give the box as west,south,east,north in degrees.")}, status=400)
        rows = selectors.reports_in_box(
            south=south,
            west=west,
            north=north,
            east=east,
            status=request.GET.get("status", ""),
            category_code=request.GET.get("category", ""),
        )
        return JsonResponse(selectors.reports_geojson(rows))


class NearbyView(View):
    """GET /reports/nearby/?lat=&lng=&category=: open reports within 50 m, shown before submitting."""

    def get(self, request):
        try:
            lat, lng = point_check(request.GET.get("lat"), request.GET.get("lng"))
        except ValidationError as error:
            return JsonResponse({"detail": " ".join(error.messages)}, status=400)
        nearby = selectors.reports_nearby(latitude=lat, longitude=lng, category_code=request.GET.get("category", ""))
        return JsonResponse({"results": [_nearby_json(report, request.user) for report in nearby]})


class ReportCreateView(WriteRateLimitMixin, View):
    template_name = "reports/report_form.html"

    def _refusal(self, request):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("reports.add_report"):
            raise PermissionDenied(_("Confirm your email address to report a problem."))
        return None

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"form": form, "map_settings": map_settings()}, status=status)

    def get(self, request):
        return self._refusal(request) or self._render(request, ReportForm())

    def post(self, request):
        refusal = self._refusal(request)
        if refusal:
            return refusal
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            latitude, longitude = data["latitude"], data["longitude"]
            if (latitude is None or longitude is None) and data["photos"]:
                # Without JavaScript the photo's own location is the place the reporter gives.
                location = photo_location(data["photos"][0])
                if location is not None:
                    latitude, longitude = location.latitude, location.longitude
            if latitude is None or longitude is None:
                form.add_error("latitude", _("Give the place: a pin on the map, your location or a photo with one."))
            else:
                try:
                    report = services.report_create(
                        reporter=request.user,
                        latitude=latitude,
                        longitude=longitude,
                        description=data["description"],
                        category_code=data["category"],
                        photos=data["photos"],
                        is_anonymous=data["is_anonymous"],
                        address=data["address"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request, _("Thank you. Your report was sent to %(agency)s.") % {"agency": report.agency}
                    )
                    return redirect(report)
        return self._render(request, form, status=400)


class PhotoLocationView(View):
    """POST a photo, get back the GPS position in its EXIF (nothing is stored); the form offers it as the pin."""

    def post(self, request):
        if not request.user.has_perm("reports.add_report"):
            return JsonResponse({"detail": _("Sign in with a confirmed email address.")}, status=403)
        if write_rate_limited(request):
            return JsonResponse({"detail": _("Too many requests. Wait a moment.")}, status=429)
        upload = request.FILES.get("photo")
        if upload is None or upload.size > settings.REPORT_PHOTO_MAX_BYTES:
            return JsonResponse({"detail": _("Send one photo within the size limit.")}, status=400)
        location = photo_location(upload)
        return JsonResponse({"location": None if location is None else [location.latitude, location.longitude]})


class ReportDetailView(View):
    def get(self, request, pk):
        report = selectors.report_for_page(pk=pk)
        if report.merged_into_id is not None:
            return redirect(report.merged_into)
        can_manage = request.user.has_perm("reports.manage_report", report)
        context = {
            "report": report,
            "can_manage": can_manage,
            "show_reporter": can_manage or not report.is_anonymous,
            "status_form": StatusForm() if can_manage else None,
            "reassign_categories": reassign_choices(request.user, report) if can_manage else [],
            "metoo_refusal": metoo_refusal(request.user, report),
            "has_me_too": request.user.is_authenticated and report.me_toos.filter(user=request.user).exists(),
            "awaiting_followup": request.user.has_perm("reports.answer_followup", report)
            and report.status == Report.Status.FIXED
            and report.followup_sent_at is not None
            and report.followup_answered_at is None,
            "map_settings": map_settings(),
            "point_json": json.dumps([report.latitude, report.longitude]),
        }
        return render(request, "reports/report_detail.html", context)


class MeTooView(WriteRateLimitMixin, View):
    def post(self, request, pk):
        report = get_object_or_404(Report.objects.public(), pk=pk)
        wants_json = "application/json" in request.headers.get("Accept", "")
        refusal = metoo_refusal(request.user, report)
        if refusal is None and not services.metoo_add(user=request.user, report=report):
            refusal = _("You already said “me too” on this report.")
        if refusal is not None:
            status = 409 if request.user.is_authenticated and report.me_toos.filter(user=request.user).exists() else 403
            if wants_json:
                return JsonResponse({"detail": refusal}, status=status)
            return render(request, "reports/refusal.html", {"report": report, "refusal": refusal}, status=status)
        report.refresh_from_db(fields=["me_too_count"])
        if wants_json:
            return JsonResponse({"me_too": report.me_too_count})
        messages.success(request, _("Thank you: your “me too” was added, and you will hear when it changes."))
        return redirect(report)


class PhotoView(View):
    """A report's photo (already stripped of EXIF), served with safe headers."""

    def get(self, request, pk, photo_id):
        photo = get_object_or_404(ReportPhoto.objects.select_related("report"), pk=photo_id, report_id=pk)
        if not photo.image:
            raise Http404
        response = FileResponse(
            photo.image.open("rb"), content_type="image/jpeg" if photo.image.name.endswith(".jpg") else None
        )
        response["Content-Security-Policy"] = "default-src 'none'"
        response["Cache-Control"] = "public, max-age=86400"
        return response


class FollowupView(WriteRateLimitMixin, View):
    """The reporter's answer to "is it really fixed?"; "no" reopens the report."""

    def _report(self, request, pk):
        report = get_object_or_404(Report.objects.public().select_related("category"), pk=pk)
        if not request.user.is_authenticated:
            return report, redirect_to_login(request.get_full_path())
        if not request.user.has_perm("reports.answer_followup", report):
            raise Http404
        return report, None

    def get(self, request, pk):
        report, login = self._report(request, pk)
        return login or render(request, "reports/report_followup.html", {"report": report, "form": FollowupForm()})

    def post(self, request, pk):
        report, login = self._report(request, pk)
        if login:
            return login
        form = FollowupForm(request.POST)
        if form.is_valid():
            try:
                report_followup_answer(
                    report=report,
                    user=request.user,
                    is_fixed=form.cleaned_data["is_fixed"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you for telling us."))
                return redirect(report)
        return render(request, "reports/report_followup.html", {"report": report, "form": form}, status=400)
