import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from common.forms import add_service_errors
from common.ratelimit import WriteRateLimitMixin
from proposals import selectors, services
from proposals.forms import CoAuthorInviteForm, ProposalForm
from proposals.models import CoAuthorInvitation, Proposal, ProposalAttachment
from proposals.rules import submission_refusal
from proposals.similarity import proposals_similar_to
from proposals.views_moderation import proposal_moderated_response

RANDOM_SEED_SESSION_KEY = "proposals_random_seed"
PAGE_SIZE = 20


def _random_seed(request) -> int:
    """One seed per visitor, kept in the session, so "random" pages do not reshuffle between clicks."""
    seed = request.session.get(RANDOM_SEED_SESSION_KEY)
    if not isinstance(seed, int):
        seed = secrets.randbelow(2**62)
        request.session[RANDOM_SEED_SESSION_KEY] = seed
    return seed


class ProposalView(WriteRateLimitMixin, View):
    """Base view: a refused action renders a 403 page that says why (the site-wide 403 page is generic)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as denied:
            message = str(denied) or _("You do not have permission to do this.")
            return render(request, "proposals/proposal_forbidden.html", {"message": message}, status=403)


class ProposalListView(ProposalView):
    template_name = "proposals/proposal_list.html"

    def get(self, request, contest_slug):
        contest = selectors.contest_for_proposals(slug=contest_slug, user=request.user)
        q = request.GET.get("q", "")[:200]
        ordering = selectors.proposal_ordering_for(q=q, ordering=request.GET.get("sort", ""))
        category = request.GET.get("category", "")[:80]
        proposals = selectors.proposal_list_public(
            contest=contest,
            q=q,
            category=category,
            ordering=ordering,
            seed=_random_seed(request) if ordering == "random" else 0,
        )
        page_obj = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
        filters = {key: value for key, value in (("q", q), ("category", category), ("sort", ordering)) if value}
        context = {
            "contest": contest,
            "page_obj": page_obj,
            "proposals": page_obj.object_list,
            "categories": list(contest.categories.all()),
            "orderings": selectors.PROPOSAL_ORDERINGS,
            "q": q,
            "category": category,
            "sort": ordering,
            "query_string": urlencode(filters),
            "can_submit": request.user.has_perm("proposals.add_proposal", contest),
            "own_proposals": list(selectors.proposal_list_own(contest=contest, user=request.user)[:50]),
        }
        return render(request, self.template_name, context)


class ProposalCreateView(ProposalView):
    template_name = "proposals/proposal_form.html"

    def _contest(self, request, contest_slug):
        contest = selectors.contest_for_proposals(slug=contest_slug, user=request.user)
        if not request.user.is_authenticated:
            return contest, redirect_to_login(request.get_full_path())
        refusal = submission_refusal(request.user, contest)
        if refusal:
            raise PermissionDenied(refusal)
        return contest, None

    def _render(self, request, contest, form, status=200, similar_proposals=()):
        context = {"contest": contest, "form": form, "proposal": None, "similar_proposals": similar_proposals}
        return render(request, self.template_name, context, status=status)

    def get(self, request, contest_slug):
        contest, login = self._contest(request, contest_slug)
        if login:
            return login
        return self._render(request, contest, ProposalForm(contest=contest))

    def post(self, request, contest_slug):
        contest, login = self._contest(request, contest_slug)
        if login:
            return login
        form = ProposalForm(request.POST, request.FILES, contest=contest)
        if form.is_valid():
            data = form.cleaned_data
            if "save_draft" not in request.POST and "submit_anyway" not in request.POST:
                # Likely duplicates are shown before submitting; the author may still submit anyway.
                similar = proposals_similar_to(contest, data["title"], data["summary"])
                if similar:
                    return self._render(request, contest, form, similar_proposals=similar)
            try:
                proposal = services.proposal_create(
                    author=request.user,
                    contest=contest,
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    category=data["category"],
                    attachments=data["attachments"],
                    submit="save_draft" not in request.POST,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if proposal.status == Proposal.Status.DRAFT:
                    messages.success(request, _("Your draft was saved. Only you and your co-authors can see it."))
                else:
                    messages.success(request, _("Your proposal was submitted."))
                return redirect(proposal)
        return self._render(request, contest, form, status=400)


class ProposalDetailView(ProposalView):
    template_name = "proposals/proposal_detail.html"

    def get(self, request, contest_slug, pk):
        proposal = selectors.proposal_get(pk=pk, contest_slug=contest_slug)
        if not request.user.has_perm("proposals.view_proposal", proposal):
            # Merged proposals redirect to their target; hidden ones show the moderators' reason.
            moderated = proposal_moderated_response(request, proposal)
            if moderated is None:
                raise Http404
            return moderated
        user = request.user
        can_view_revisions = user.has_perm("proposals.view_revisions", proposal)
        can_invite = user.has_perm("proposals.invite_coauthor", proposal)
        context = {
            "contest": proposal.contest,
            "proposal": proposal,
            "proposals_on_page": [proposal],
            "coauthors": [coauthorship.user for coauthorship in proposal.coauthorships.all()],
            "attachments": list(proposal.attachments.all()),
            "can_edit": user.has_perm("proposals.change_proposal", proposal),
            "can_withdraw": user.has_perm("proposals.withdraw_proposal", proposal),
            "can_invite": can_invite,
            "invite_form": CoAuthorInviteForm() if can_invite else None,
            "pending_invitations": list(proposal.invitations.filter(accepted_at__isnull=True)) if can_invite else [],
            "revisions": list(selectors.proposal_revisions(proposal=proposal)) if can_view_revisions else None,
        }
        return render(request, self.template_name, context)


class ProposalEditView(LoginRequiredMixin, ProposalView):
    template_name = "proposals/proposal_form.html"

    def _proposal(self, request, contest_slug, pk):
        proposal = selectors.proposal_get_visible(pk=pk, contest_slug=contest_slug, user=request.user)
        if not request.user.has_perm("proposals.change_proposal", proposal):
            raise PermissionDenied(_("You cannot edit this proposal."))
        return proposal

    def _form(self, request, proposal, data=None, files=None):
        choices = [(attachment.pk, attachment.original_name) for attachment in proposal.attachments.all()]
        return ProposalForm(data, files, instance=proposal, contest=proposal.contest, attachment_choices=choices)

    def _render(self, request, proposal, form, status=200):
        context = {"contest": proposal.contest, "form": form, "proposal": proposal}
        return render(request, self.template_name, context, status=status)

    def get(self, request, contest_slug, pk):
        proposal = self._proposal(request, contest_slug, pk)
        return self._render(request, proposal, self._form(request, proposal))

    def post(self, request, contest_slug, pk):
        proposal = self._proposal(request, contest_slug, pk)
        form = self._form(request, proposal, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.proposal_update(
                    proposal=proposal,
                    editor=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    category=data["category"],
                    attachments=data["attachments"],
                    remove_attachment_ids=data.get("remove_attachments", []),
                    submit="submit" in request.POST,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your changes were saved."))
                return redirect(proposal)
        return self._render(request, proposal, form, status=400)


class ProposalWithdrawView(LoginRequiredMixin, ProposalView):
    def post(self, request, contest_slug, pk):
        proposal = selectors.proposal_get_visible(pk=pk, contest_slug=contest_slug, user=request.user)
        if not request.user.has_perm("proposals.withdraw_proposal", proposal):
            raise PermissionDenied(_("Only the author can withdraw this proposal while submission is open."))
        try:
            services.proposal_withdraw(proposal=proposal, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your proposal was withdrawn."))
        return redirect(proposal)


class CoAuthorInviteView(LoginRequiredMixin, ProposalView):
    def post(self, request, contest_slug, pk):
        proposal = selectors.proposal_get_visible(pk=pk, contest_slug=contest_slug, user=request.user)
        if not request.user.has_perm("proposals.invite_coauthor", proposal):
            raise PermissionDenied(_("Only the author can invite co-authors while submission is open."))
        form = CoAuthorInviteForm(request.POST)
        if form.is_valid():
            try:
                services.coauthor_invite(
                    proposal=proposal,
                    inviter=request.user,
                    email=form.cleaned_data["email"],
                    site_url=request.build_absolute_uri("/"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The invitation was sent."))
                return redirect(proposal)
        context = {"contest": proposal.contest, "proposal": proposal, "form": form}
        return render(request, "proposals/coauthor_invite.html", context, status=400)


class InvitationAcceptView(ProposalView):
    """Shows the invitation, then accepts it on POST. Signing in is required; a verified account must accept."""

    template_name = "proposals/coauthor_invitation.html"

    def _invitation(self, token):
        return get_object_or_404(
            CoAuthorInvitation.objects.select_related("proposal__contest", "proposal__author", "invited_by"),
            token=token[:64],
        )

    def get(self, request, token):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        invitation = self._invitation(token)
        context = {"invitation": invitation, "proposal": invitation.proposal}
        return render(request, self.template_name, context)

    def post(self, request, token):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("proposals.accept_invitation"):
            raise PermissionDenied(_("Verify your email address before accepting the invitation."))
        invitation = self._invitation(token)
        try:
            services.invitation_accept(token=invitation.token, user=request.user)
        except ValidationError as error:
            context = {"invitation": invitation, "proposal": invitation.proposal, "errors": error.messages}
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("You are now a co-author of this proposal."))
        return redirect(invitation.proposal)


class AttachmentView(ProposalView):
    """Serve an attachment to whoever may see its proposal, with headers that stop the browser sniffing it."""

    def get(self, request, contest_slug, pk, attachment_id):
        proposal = selectors.proposal_get_visible(pk=pk, contest_slug=contest_slug, user=request.user)
        attachment = get_object_or_404(ProposalAttachment, pk=attachment_id, proposal=proposal)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            content_type=attachment.content_type,
            as_attachment=attachment.kind != ProposalAttachment.Kind.IMAGE,
            filename=attachment.original_name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
        # Private: a proposal may be hidden or withdrawn later, and shared caches would keep serving it.
        response["Cache-Control"] = "private, max-age=3600"
        return response
