"""Staff pages of micro-tasks: an agency's campaigns and figures, posting, the review queue, items, consensus."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from agencies.models import Agency
from common.ratelimit import WriteRateLimitMixin
from microtasks import datatasks, selectors, services
from microtasks.forms import CampaignForm, ItemsUploadForm, ReviewForm
from microtasks.models import Campaign, Submission
from microtasks.rules import Refusal


def _agency_for_staff(request, slug) -> Agency:
    agency = get_object_or_404(Agency, slug=slug)
    if not request.user.has_perm("microtasks.add_campaign", agency):
        raise PermissionDenied
    return agency


def _campaign_for_staff(request, pk) -> Campaign:
    campaign = selectors.campaign_for_viewer(pk=pk, user=request.user)
    if not request.user.has_perm("microtasks.manage_campaign", campaign):
        raise PermissionDenied
    return campaign


class AgencyTasksView(LoginRequiredMixin, View):
    def get(self, request, slug):
        agency = _agency_for_staff(request, slug)
        return render(
            request,
            "microtasks/agency_tasks.html",
            {
                "agency": agency,
                "campaigns": selectors.agency_campaigns(agency=agency),
                "figures": selectors.agency_task_figures(agency=agency),
            },
        )


class CampaignCreateView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def get(self, request, slug):
        agency = _agency_for_staff(request, slug)
        return render(request, "microtasks/campaign_form.html", {"agency": agency, "form": CampaignForm()})

    def post(self, request, slug):
        agency = _agency_for_staff(request, slug)
        form = CampaignForm(request.POST)
        if form.is_valid():
            try:
                campaign = services.campaign_create(agency=agency, created_by=request.user, **form.campaign_fields())
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The campaign is posted."))
                return redirect(campaign)
        return render(request, "microtasks/campaign_form.html", {"agency": agency, "form": form}, status=400)


class ReviewQueueView(LoginRequiredMixin, View):
    def get(self, request, pk):
        campaign = _campaign_for_staff(request, pk)
        return render(
            request,
            "microtasks/review_queue.html",
            {"campaign": campaign, "submissions": selectors.review_queue(campaign=campaign), "form": ReviewForm()},
        )


class ReviewView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, submission_id):
        submission = get_object_or_404(Submission.objects.select_related("claim__campaign__agency"), pk=submission_id)
        campaign = submission.claim.campaign
        if not request.user.has_perm("microtasks.review_submission", campaign):
            raise Http404
        form = ReviewForm(request.POST)
        reason = form.data.get("reason", "") if form.is_valid() else ""
        try:
            services.submission_review(
                reviewer=request.user, submission_id=submission.pk, approve="approve" in request.POST, reason=reason
            )
        except Refusal as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request, _("Approved; the points are credited.") if "approve" in request.POST else _("Rejected.")
            )
        return redirect("microtasks:review", pk=campaign.pk)


class ProofPhotoView(LoginRequiredMixin, View):
    """The proof photo, for its author and the campaign's reviewers only (never a public media URL)."""

    def get(self, request, submission_id):
        submission = get_object_or_404(Submission.objects.select_related("claim__campaign__agency"), pk=submission_id)
        allowed = submission.claim.citizen_id == request.user.pk or request.user.has_perm(
            "microtasks.review_submission", submission.claim.campaign
        )
        if not allowed or not submission.photo:
            raise Http404
        # Re-encoded proof is a few hundred kB: read whole, so ASGI need not stream a synchronous file.
        with submission.photo.open("rb") as photo:
            data = photo.read()
        extension = submission.photo.name.rsplit(".", 1)[-1].lower()
        content_type = {"png": "image/png", "webp": "image/webp"}.get(extension, "image/jpeg")
        response = HttpResponse(data, content_type=content_type)
        response["Cache-Control"] = "private, max-age=3600"
        return response


class ItemsUploadView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def get(self, request, pk):
        campaign = _campaign_for_staff(request, pk)
        return render(request, "microtasks/items_upload.html", {"campaign": campaign, "form": ItemsUploadForm()})

    def post(self, request, pk):
        campaign = _campaign_for_staff(request, pk)
        form = ItemsUploadForm(request.POST, request.FILES)
        if campaign.kind != Campaign.Kind.DATA:
            form.add_error(None, _("Only data tasks have items."))
        elif form.is_valid():
            try:
                if form.cleaned_data.get("csv_file"):
                    added = datatasks.items_from_csv(campaign=campaign, upload=form.cleaned_data["csv_file"])
                else:
                    added = datatasks.items_from_images(campaign=campaign, uploads=request.FILES.getlist("images"))
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("%(count)s items added.") % {"count": added})
                return redirect(campaign)
        return render(request, "microtasks/items_upload.html", {"campaign": campaign, "form": form}, status=400)


class ConsensusCSVView(LoginRequiredMixin, View):
    def get(self, request, pk):
        campaign = _campaign_for_staff(request, pk)
        response = HttpResponse(datatasks.consensus_csv(campaign=campaign), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-consensus.csv"'
        return response
