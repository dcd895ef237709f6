"""Comment pages and actions: post and reply, edit, delete, react, report, moderate, unsubscribe, live count.

The thread itself is rendered inside the proposal and contest pages by the
`proposals/comments/thread.html` partial; these views handle the forms it posts
and send people back to the comment they acted on.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from agencies.selectors import agency_for_action
from common.forms import add_service_errors
from common.ratelimit import WriteRateLimitMixin, client_ip
from common.urls_safety import safe_next_url
from contests.models import Contest
from proposals import comments
from proposals.models import Proposal
from proposals.moderation import REPORT_REASON_MAX_LENGTH, report_create
from proposals.selectors import contest_for_proposals, proposal_get_visible


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=comments.comment_max_length(),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Markdown: **bold**, *italic*, [links](https://example.org), lists."),
    )
    parent = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    followup = forms.BooleanField(
        label=gettext_lazy("Notify me of replies and new comments"), required=False, initial=True
    )


class CommentEditForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=comments.comment_max_length(),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class CommentReportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is wrong with this comment?"),
        max_length=REPORT_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CommentHideForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Public reason for hiding"), max_length=500)


class BlocklistForm(forms.Form):
    terms = forms.CharField(
        label=gettext_lazy("Blocked words and links"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line. A comment containing any of them waits for a moderator."),
    )


def _anchor(target, comment_id: int | None = None) -> str:
    return f"{comments.target_url(target)}#{f'c{comment_id}' if comment_id else 'comments'}"


def _load_target(request, kind: str, key):
    """The proposal or contest to discuss, if the user may see it (404 otherwise)."""
    if kind == "proposal":
        proposal = proposal_get_visible(pk=key, user=request.user)
        return proposal
    contest = contest_for_proposals(slug=key, user=request.user)
    return contest


def _load_comment(comment_id: int):
    comment = comments.comment_get(comment_id=comment_id)
    if comment is None:
        raise Http404
    return comment


def _refuse(request, message: str, status: int = 403):
    return render(request, "proposals/comments/comment_refused.html", {"message": message}, status=status)


class CommentPostView(LoginRequiredMixin, View):
    """POST a comment or a reply on a proposal (`kind="proposal"`) or a contest (`kind="contest"`)."""

    kind = "proposal"

    def post(self, request, key):
        target = _load_target(request, self.kind, key)
        if not request.user.has_perm("proposals.add_comment", target):
            if not request.user.has_perm("accounts.act_as_citizen"):
                return _refuse(request, _("Verify your email address before commenting."))
            return _refuse(request, _("Comments are closed for this discussion."))
        form = CommentForm(request.POST)
        status = 400
        if form.is_valid():
            parent = None
            if form.cleaned_data["parent"]:
                parent = comments.comment_get(comment_id=form.cleaned_data["parent"])
                if parent is None:
                    form.add_error("parent", _("You can only reply to a visible comment of this discussion."))
            if not form.errors:
                try:
                    comment = comments.comment_post(
                        author=request.user,
                        target=target,
                        text=form.cleaned_data["text"],
                        parent=parent,
                        followup=form.cleaned_data["followup"],
                        ip_address=client_ip(request),
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                except comments.CommentRateLimited as error:
                    form.add_error(None, str(error))
                    status = 429
                else:
                    if comment.is_public:
                        messages.success(request, _("Your comment was posted."))
                    else:
                        messages.info(request, _("Your comment waits for a moderator before it is shown."))
                    return redirect(_anchor(target, comment.pk))
        context = {"form": form, "target": target, "target_url": comments.target_url(target)}
        return render(request, "proposals/comments/comment_form.html", context, status=status)


class DiscussionFollowView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """POST follow=1 to be notified of new comments on a proposal or contest, follow=0 to stop."""

    kind = "proposal"

    def post(self, request, key):
        target = _load_target(request, self.kind, key)
        if not request.user.has_perm("proposals.follow_discussion", target):
            return _refuse(request, _("Verify your email address before following a discussion."))
        follow = request.POST.get("follow") == "1"
        comments.discussion_follow_set(user=request.user, target=target, follow=follow)
        if follow:
            messages.success(request, _("You will be notified of new comments here."))
        else:
            messages.success(request, _("You no longer follow this discussion."))
        return redirect(_anchor(target))


class CommentRedirectView(View):
    """/comments/<id>/: the page of the discussion, at the comment."""

    def get(self, request, comment_id):
        comment = _load_comment(comment_id)
        target = comment.civitas_target
        if isinstance(target, Contest):
            contest_for_proposals(slug=target.slug, user=request.user)  # 404 unless published or theirs
        elif not request.user.has_perm("proposals.view_proposal", target):
            raise Http404
        return redirect(_anchor(target, comment.pk))


def comment_target_redirect(request, content_type_id, object_pk):
    """django-contrib-comments' `comments-url-redirect` (Comment.get_absolute_url) without its other views."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    # Only the two things people discuss, and only well-formed ids (anything else is a 404, not a 500).
    if model not in (Proposal, Contest) or not str(object_pk).isdigit():
        raise Http404
    target = model._default_manager.filter(pk=object_pk).first()
    if target is None:
        raise Http404
    return redirect(target.get_absolute_url())


class CommentEditView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "proposals/comments/comment_edit.html"

    def _comment(self, request, comment_id):
        comment = _load_comment(comment_id)
        if not request.user.has_perm("proposals.change_comment", comment):
            raise PermissionDenied(_("You can edit your own comments only for a short time after posting."))
        return comment

    def get(self, request, comment_id):
        comment = self._comment(request, comment_id)
        form = CommentEditForm(initial={"text": comment.comment})
        return render(request, self.template_name, {"form": form, "comment": comment})

    def post(self, request, comment_id):
        comment = self._comment(request, comment_id)
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                comments.comment_edit(comment=comment, editor=request.user, text=form.cleaned_data["text"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your comment was updated."))
                return redirect(_anchor(comment.civitas_target, comment.pk))
        return render(request, self.template_name, {"form": form, "comment": comment}, status=400)


class CommentDeleteView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, comment_id):
        comment = _load_comment(comment_id)
        if not request.user.has_perm("proposals.delete_comment", comment):
            raise PermissionDenied(_("You can delete only your own comments."))
        comments.comment_delete(comment=comment, user=request.user)
        messages.success(request, _("Your comment was deleted."))
        return redirect(_anchor(comment.civitas_target, comment.pk))


class CommentReactView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """POST reaction=like|dislike|none, then back to the comment (a bad value is a JSON 400 for scripts)."""

    def post(self, request, comment_id):
        comment = _load_comment(comment_id)
        if not request.user.has_perm("proposals.react_to_comment", comment):
            raise PermissionDenied(_("You cannot react to this comment."))
        reaction = request.POST.get("reaction", "")
        try:
            comments.comment_react(
                comment=comment, user=request.user, reaction=None if reaction == "none" else reaction
            )
        except ValidationError as error:
            if "application/json" in request.headers.get("Accept", ""):
                return JsonResponse({"detail": " ".join(error.messages)}, status=400)
            messages.error(request, " ".join(error.messages))
        return redirect(_anchor(comment.civitas_target, comment.pk))


class CommentReportView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "proposals/comments/comment_report.html"

    def _comment(self, request, comment_id):
        comment = _load_comment(comment_id)
        if not request.user.has_perm("proposals.report_comment", comment):
            raise PermissionDenied(_("Verify your email address before reporting content."))
        return comment

    def get(self, request, comment_id):
        comment = self._comment(request, comment_id)
        return render(request, self.template_name, {"form": CommentReportForm(), "comment": comment})

    def post(self, request, comment_id):
        comment = self._comment(request, comment_id)
        form = CommentReportForm(request.POST)
        if form.is_valid():
            try:
                report_create(reporter=request.user, target=comment, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you. The moderators will look at your report."))
                return redirect(_anchor(comment.civitas_target, comment.pk))
        return render(request, self.template_name, {"form": form, "comment": comment}, status=400)


class _ModerateView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def _comment(self, request, comment_id):
        comment = _load_comment(comment_id)
        if not request.user.has_perm("proposals.moderate_comment", comment):
            raise PermissionDenied(_("Only the agency running this contest moderates its comments."))
        return comment

    def _back(self, request, comment):
        return redirect(safe_next_url(request, _anchor(comment.civitas_target, comment.pk)))


class CommentHideView(_ModerateView):
    def post(self, request, comment_id):
        comment = self._comment(request, comment_id)
        form = CommentHideForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the public reason for hiding this comment."))
            return self._back(request, comment)
        try:
            comments.comment_hide(comment=comment, moderator=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The comment is hidden and its author was told why."))
        return self._back(request, comment)


class CommentRestoreView(_ModerateView):
    def post(self, request, comment_id):
        comment = self._comment(request, comment_id)
        try:
            comments.comment_restore(comment=comment, moderator=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The comment is public again."))
        return self._back(request, comment)


class BlocklistView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """The agency's blocked words and links (managers)."""

    def post(self, request, slug):
        agency = agency_for_action(user=request.user, slug=slug, permission="agencies.manage_agency_contests")
        form = BlocklistForm(request.POST)
        if form.is_valid():
            try:
                comments.blocklist_update(agency=agency, terms=form.cleaned_data["terms"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The blocklist was saved."))
        else:
            messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("proposals_staff:moderation_queue", slug=agency.slug)


@method_decorator(csrf_exempt, name="dispatch")  # the signed token is the authority (mail clients' one-click POST)
class UnsubscribeView(View):
    """One click in an email turns off comment emails; a button turns them back on."""

    template_name = "proposals/comments/unsubscribe.html"

    def _user(self, token):
        user = comments.unsubscribe_user_from_token(token)
        if user is None:
            raise Http404
        return user

    def get(self, request, token):
        user = self._user(token)
        comments.comment_email_preference_set(user=user, email_on_comments=False)
        return render(request, self.template_name, {"token": token, "subscribed": False})

    def post(self, request, token):
        user = self._user(token)
        subscribe = request.POST.get("subscribe") == "1"
        comments.comment_email_preference_set(user=user, email_on_comments=subscribe)
        return render(request, self.template_name, {"token": token, "subscribed": subscribe})


class CommentCountView(View):
    """GET: {"count": n} for a proposal's published comments (polled by the open proposal page)."""

    def get(self, request, pk):
        proposal = proposal_get_visible(pk=pk, user=request.user)
        response = JsonResponse({"count": comments.comment_count(target=proposal)})
        response["Cache-Control"] = "no-cache"
        return response
