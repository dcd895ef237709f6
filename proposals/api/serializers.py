from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import PublicUserSerializer
from common.sanitize import render_markdown
from common.validators import reject_control_characters
from proposals.models import Proposal, ProposalAttachment
from proposals.rules import proposal_authors_hidden
from proposals.selectors import DEFAULT_ORDERING, PROPOSAL_ORDERINGS


class ProposalListQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    status = serializers.ChoiceField(choices=list(Proposal.OFFICIAL_STATUSES), required=False)
    category = serializers.SlugField(required=False, allow_blank=True, max_length=80, help_text="A category slug.")
    ordering = serializers.ChoiceField(
        choices=list(PROPOSAL_ORDERINGS),
        required=False,
        allow_blank=True,
        default="",
        help_text=f"Default: relevance when searching (q), else {DEFAULT_ORDERING}.",
    )
    seed = serializers.IntegerField(
        required=False,
        default=0,
        min_value=0,
        max_value=2**62,
        help_text="For ordering=random: the same seed gives the same order on every page.",
    )


class CategoryRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class VoteSummarySerializer(serializers.Serializer):
    """The proposal's ballots as the contest's voting method counts them (voting keeps the running tally)."""

    method = serializers.CharField(help_text="updown, approval, stars or pairwise.")
    ballots = serializers.IntegerField(help_text="Votes cast (supports for approval, ratings for stars).")
    up = serializers.IntegerField(help_text="updown: +1 votes.")
    down = serializers.IntegerField(help_text="updown: −1 votes.")
    mean = serializers.FloatField(allow_null=True, help_text="stars: the mean rating, 1–5.")
    comparisons = serializers.IntegerField(help_text="pairwise: comparisons it took part in.")
    wins = serializers.IntegerField(help_text="pairwise: comparisons it won.")


def vote_summary(proposal: Proposal) -> dict:
    tally = proposal.tally if _has_tally(proposal) else None
    ballots = tally.ballots if tally else 0
    return {
        "method": proposal.contest.voting_method,
        "ballots": ballots,
        "up": tally.positive if tally else 0,
        "down": tally.negative if tally else 0,
        "mean": round(tally.value_sum / ballots, 2)
        if tally and ballots and proposal.contest.voting_method == "stars"
        else None,
        "comparisons": tally.comparisons if tally else 0,
        "wins": tally.wins if tally else 0,
    }


def _has_tally(proposal: Proposal) -> bool:
    try:
        return proposal.tally is not None
    except ObjectDoesNotExist:
        return False


class ProposalSerializer(serializers.ModelSerializer):
    """A proposal as lists show it: no body; people by display name only, never by email."""

    contest = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = PublicUserSerializer(read_only=True, allow_null=True, help_text="Null while a blind review is on.")
    coauthors = serializers.SerializerMethodField()
    category = CategoryRefSerializer(read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    comment_count = serializers.SerializerMethodField(help_text="Published comments.")
    votes = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "contest",
            "title",
            "summary",
            "status",
            "category",
            "author",
            "coauthors",
            "submitted_at",
            "updated_at",
            "url",
            "comment_count",
            "votes",
        ]

    def get_comment_count(self, proposal: Proposal) -> int:
        return getattr(proposal, "comment_count", 0)

    @extend_schema_field(VoteSummarySerializer)
    def get_votes(self, proposal: Proposal) -> dict:
        return vote_summary(proposal)

    @extend_schema_field(PublicUserSerializer(many=True))
    def get_coauthors(self, proposal: Proposal) -> list:
        users = [coauthorship.user for coauthorship in proposal.coauthorships.all()]
        return PublicUserSerializer(users, many=True).data

    def to_representation(self, proposal: Proposal) -> dict:
        data = super().to_representation(proposal)
        request = self.context.get("request")
        if proposal_authors_hidden(getattr(request, "user", None), proposal):
            data["author"], data["coauthors"] = None, []  # blind review in progress (contests.anonymity)
        return data


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProposalAttachment
        fields = ["id", "original_name", "kind", "content_type", "size", "url"]

    def get_url(self, attachment: ProposalAttachment) -> str:
        proposal = attachment.proposal
        return reverse(
            "proposals:attachment",
            kwargs={"contest_slug": proposal.contest.slug, "pk": proposal.pk, "attachment_id": attachment.pk},
        )


class ProposalDetailSerializer(ProposalSerializer):
    """One proposal: adds the Markdown body, its sanitised HTML and the attachments."""

    body_html = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "body", "body_html", "attachments"]

    def get_body_html(self, proposal: Proposal) -> str:
        return str(render_markdown(proposal.body))


class ProposalWriteSerializer(serializers.Serializer):
    """Input for creating (all fields) or editing (any subset) a proposal."""

    title = serializers.CharField(max_length=150, validators=[reject_control_characters])
    summary = serializers.CharField(max_length=500)
    body = serializers.CharField(max_length=20000)
    category = serializers.SlugField(
        max_length=80, required=False, allow_blank=True, allow_null=True, help_text="A category slug of the contest."
    )
    draft = serializers.BooleanField(
        required=False,
        default=False,
        help_text="On create: save as a private draft instead of submitting. On edit: false submits a draft.",
    )

    attachments = serializers.ListField(
        child=serializers.FileField(max_length=200, allow_empty_file=False),
        required=False,
        help_text="Images or PDF documents (multipart/form-data), checked by content; added to those already there.",
    )
    remove_attachments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        help_text="On edit: ids of attachments to delete.",
    )

    def __init__(self, *args, contest=None, **kwargs):
        self.contest = contest
        super().__init__(*args, **kwargs)

    def validate_category(self, value):
        if not value:
            return None
        category = self.contest.categories.filter(slug=value).first() if self.contest else None
        if category is None:
            raise serializers.ValidationError(_("Choose a category of this contest."))
        return category
