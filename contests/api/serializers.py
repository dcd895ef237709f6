from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import PublicUserSerializer
from agencies.models import Agency
from contests.models import Category, Contest, DeadlineChange
from contests.phases import DATE_FIELDS, Phase
from contests.services import EDITABLE_FIELDS, MAX_CATEGORIES

# The form's fields but the cover image, which the API does not upload.
WRITABLE_FIELDS = [field for field in EDITABLE_FIELDS if field != "cover_image"]


class AgencySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["slug", "name"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]


class DeadlineChangeSerializer(serializers.ModelSerializer):
    changed_by = PublicUserSerializer(read_only=True)

    class Meta:
        model = DeadlineChange
        fields = ["field", "old_value", "new_value", "reason", "changed_by", "created_at"]


class ContestSerializer(serializers.ModelSerializer):
    """A contest as the API shows it. Text fields are the Markdown source; render and clean before display."""

    agency = AgencySummarySerializer(read_only=True)
    categories = CategorySerializer(many=True, read_only=True)
    phase = serializers.ChoiceField(choices=Phase.choices, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    cover_image = serializers.SerializerMethodField()

    class Meta:
        model = Contest
        fields = [
            "slug",
            "url",
            "agency",
            "phase",
            "is_published",
            "published_at",
            "title",
            "summary",
            "description",
            "rules",
            "rewards",
            "cover_image",
            "categories",
            "voting_method",
            "approval_limit",
            "stars_prior_weight",
            "public_ranking",
            "integrity_monitoring",
            "vote_verification",
            "submit_verification",
            "max_proposals_per_citizen",
            "allow_overlap",
            "public_weight",
            "jury_weight",
            *DATE_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_cover_image(self, contest) -> str | None:
        return contest.cover_image.url if contest.cover_image else None


class ContestDetailSerializer(ContestSerializer):
    deadline_changes = DeadlineChangeSerializer(many=True, read_only=True)

    class Meta(ContestSerializer.Meta):
        fields = [*ContestSerializer.Meta.fields, "deadline_changes"]
        read_only_fields = fields


class ContestUpdateSerializer(serializers.ModelSerializer):
    """Input of PATCH: any editable field; a date change of a published contest needs `reason`."""

    categories = serializers.ListField(
        child=serializers.CharField(max_length=80), max_length=MAX_CATEGORIES, required=False
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    class Meta:
        model = Contest
        fields = [*WRITABLE_FIELDS, "categories", "reason"]
        extra_kwargs = {"slug": {"required": False}}


class ContestCreateSerializer(ContestUpdateSerializer):
    """Input of POST: the agency (by slug) and the contest's fields. The contest starts as a draft."""

    agency = serializers.SlugRelatedField(slug_field="slug", queryset=Agency.objects.all())

    class Meta(ContestUpdateSerializer.Meta):
        fields = ["agency", *WRITABLE_FIELDS, "categories"]


class ContestListQuerySerializer(serializers.Serializer):
    agency = serializers.SlugField(required=False, max_length=80)
    phase = serializers.ChoiceField(choices=[p for p in Phase.choices if p[0] != Phase.DRAFT], required=False)
    category = serializers.SlugField(required=False, max_length=80)
    q = serializers.CharField(required=False, max_length=200)
