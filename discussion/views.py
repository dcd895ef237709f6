"""Comment pages and actions: post and reply, edit, delete, react, report, moderate, follow, live count.

The thread itself is rendered inside the discussed target's page by the `comment_thread`
template tag; these views handle the forms it posts and send people back to the comment
they acted on. Every comment action first checks that the user may see the discussion:
a comment of a draft or withdrawn proposal is a 404 through every door.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from agencies.selectors import agency_for_action
from common.forms import add_service_errors
from common.ratelimit import WriteRateLimitMixin, client_ip
from common.urls_safety import safe_next_url
from discussion import selectors, services
from discussion.discussables import discussable_for_segment, discussables
from discussion.rules import comment_is_known_to, comment_max_length, comment_refusal, comment_report_refusal
from moderation.services import REPORT_REASON_MAX_LENGTH, report_create
from notifications.subscriptions import subscription_set


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=comment_max_length(),
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
        max_length=comment_max_length(),
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
    return f"{target.get_absolute_url()}#{f'c{comment_id}' if comment_id else 'comments'}"


def _load_target(request, segment: str, key: str):
    """The discussed target named in the URL, if the user may see it (404 otherwise)."""
    discussable = discussable_for_segment(segment)
    target = discussable.lookup(str(key), request.user) if discussable is not None else None
    if target is None:
        raise Http404
    return target


def _load_comment(request, comment_id: int):
    """The comment, if the user may see its discussion and know of it (404 otherwise: a comment of a
    draft, or someone else's comment held for review, stays unknown)."""
    comment = selectors.comment_get(comment_id=comment_id)
    target = comment.civitas_target if comment is not None else None
    if target is None or not discussables[target].is_visible(request.user, target):
        raise Http404
    if not comment_is_known_to(request.user, comment):
        raise Http404
    return comment


def _refuse(request, message: str, status: int = 403):
    return render(request, "discussion/comment_refused.html", {"message": message}, status=status)


class CommentPostView(LoginRequiredMixin, View):
    """POST a comment or a reply on a discussed target (/comments/<segment>/<key>/)."""

    def post(self, request, segment, key):
        target = _load_target(request, segment, key)
        refusal = comment_refusal(request.user, target)
        if refusal:
            return _refuse(request, refusal)
        form = CommentForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                comment = services.comment_post(
                    author=request.user,
                    target=target,
                    text=form.cleaned_data["text"],
                    parent_id=form.cleaned_data["parent"],
                    followup=form.cleaned_data["followup"],
                    ip_address=client_ip(request),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except services.CommentRateLimited as error:
                form.add_error(None, str(error))
                status = 429
            else:
                if comment.is_public:
                    messages.success(request, _("Your comment was posted."))
                else:
                    messages.info(request, _("Your comment waits for a moderator before it is shown."))
                return redirect(_anchor(target, comment.pk))
        context = {"form": form, "target": target, "target_url": target.get_absolute_url()}
        return render(request, "discussion/comment_form.html", context, status=status)


class DiscussionFollowView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """POST follow=1 to follow the discussed target (new comments among the rest), follow=0 to stop."""

    def post(self, request, segment, key):
        target = _load_target(request, segment, key)
        follow = request.POST.get("follow") == "1"
        if follow and not request.user.has_perm("notifications.add_subscription", target):
            return _refuse(request, _("Verify your email address before following a discussion."))
        subscription_set(user=request.user, target=target, follow=follow)
        if follow:
            messages.success(request, _("You will be notified of new comments here."))
        else:
            messages.success(request, _("You no longer follow this discussion."))
        return redirect(_anchor(target))


class CommentRedirectView(View):
    """/comments/<id>/: the page of the discussion, at the comment."""

    def get(self, request, comment_id):
        comment = _load_comment(request, comment_id)
        return redirect(_anchor(comment.civitas_target, comment.pk))


def comment_target_redirect(request, content_type_id, object_pk):
    """django-contrib-comments' `comments-url-redirect` (Comment.get_absolute_url) without its other views.

    Only to a discussed target the user may see: anything else (a draft, another model, a
    malformed id) is a 404, so the redirect confirms nothing.
    """
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    discussable = discussables.get(model) if model is not None else None
    if discussable is None or not str(object_pk).isdigit() or len(str(object_pk)) > 18:
        raise Http404
    target = discussable.queryset().filter(pk=int(object_pk)).first()
    if target is None or not discussable.is_visible(request.user, target):
        raise Http404
    return redirect(target.get_absolute_url())


class CommentEditView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "discussion/comment_edit.html"

    def _comment(self, request, comment_id):
        comment = _load_comment(request, comment_id)
        if not request.user.has_perm("discussion.change_comment", comment):
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
                services.comment_edit(comment=comment, editor=request.user, text=form.cleaned_data["text"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your comment was updated."))
                return redirect(_anchor(comment.civitas_target, comment.pk))
        return render(request, self.template_name, {"form": form, "comment": comment}, status=400)


class CommentDeleteView(LoginRequiredMixin, WriteRateLimitMixin, View):
    def post(self, request, comment_id):
        comment = _load_comment(request, comment_id)
        if not request.user.has_perm("discussion.delete_comment", comment):
            raise PermissionDenied(_("You can delete only your own comments."))
        services.comment_delete(comment=comment, user=request.user)
        messages.success(request, _("Your comment was deleted."))
        return redirect(_anchor(comment.civitas_target, comment.pk))


class CommentReactView(LoginRequiredMixin, WriteRateLimitMixin, View):
    """POST reaction=like|dislike|none, then back to the comment (a bad value is a JSON 400 for scripts)."""

    def post(self, request, comment_id):
        comment = _load_comment(request, comment_id)
        if not request.user.has_perm("discussion.react_to_comment", comment):
            raise PermissionDenied(_("You cannot react to this comment."))
        reaction = request.POST.get("reaction", "")
        try:
            services.comment_react(
                comment=comment, user=request.user, reaction=None if reaction == "none" else reaction
            )
        except ValidationError as error:
            if "application/json" in request.headers.get("Accept", ""):
                return JsonResponse({"detail": " ".join(error.messages)}, status=400)
            messages.error(request, " ".join(error.messages))
        return redirect(_anchor(comment.civitas_target, comment.pk))


class CommentReportView(LoginRequiredMixin, WriteRateLimitMixin, View):
    template_name = "discussion/comment_report.html"

    def _comment(self, request, comment_id):
        comment = _load_comment(request, comment_id)
        refusal = comment_report_refusal(request.user, comment)
        if refusal:
            raise PermissionDenied(refusal)
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
        comment = _load_comment(request, comment_id)
        if not request.user.has_perm("discussion.moderate_comment", comment):
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
            services.comment_hide(comment=comment, moderator=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The comment is hidden and its author was told why."))
        return self._back(request, comment)


class CommentRestoreView(_ModerateView):
    def post(self, request, comment_id):
        comment = self._comment(request, comment_id)
        try:
            services.comment_restore(comment=comment, moderator=request.user)
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
                services.blocklist_update(agency=agency, terms=form.cleaned_data["terms"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The blocklist was saved."))
        else:
            messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("moderation:queue", slug=agency.slug)


class CommentCountView(View):
    """GET: {"count": n} for a discussion's published comments (polled by the open page)."""

    def get(self, request, segment, key):
        target = _load_target(request, segment, key)
        response = JsonResponse({"count": selectors.comment_count(target=target)})
        response["Cache-Control"] = "no-cache"
        return response
