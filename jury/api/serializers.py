from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jury.models import ContestReviewer, Review


class ReviewerInviteSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class ReviewerSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContestReviewer
        fields = ["id", "email", "status", "invited_at", "accepted_at"]


class ReviewProposalSerializer(serializers.Serializer):
    """The proposal as a reviewer sees it: its text, never its authors."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body = serializers.CharField()


class RubricCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    weight = serializers.IntegerField()


class CriterionScoreSerializer(serializers.Serializer):
    score = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField(allow_blank=True)


class ReviewSerializer(serializers.ModelSerializer):
    contest = serializers.SlugRelatedField(source="reviewer.contest", slug_field="slug", read_only=True)
    proposal = ReviewProposalSerializer(read_only=True)
    scores = serializers.SerializerMethodField()
    criteria = serializers.SerializerMethodField(help_text="The contest's rubric: score each criterion by its id.")

    class Meta:
        model = Review
        fields = ["id", "contest", "proposal", "status", "submitted_at", "criteria", "scores"]

    @extend_schema_field(RubricCriterionSerializer(many=True))
    def get_criteria(self, review) -> list[dict]:
        return RubricCriterionSerializer(review.reviewer.contest.criteria.all(), many=True).data

    def get_scores(self, review) -> dict[str, dict]:
        return {str(s.criterion_id): {"score": s.score, "comment": s.comment} for s in review.scores.all()}


class ReviewUpdateSerializer(serializers.Serializer):
    """{"scores": {criterion_id: {"score": 0–10, "comment": "…"}}, "submit": false}. Values are checked by the service."""

    scores = serializers.DictField(child=serializers.JSONField())
    submit = serializers.BooleanField(default=False)


class ResultEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    proposal_id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    public_score = serializers.FloatField(allow_null=True)
    jury_score = serializers.FloatField(allow_null=True)
    public_component = serializers.FloatField()
    jury_component = serializers.FloatField()
    final = serializers.FloatField()
    winner = serializers.BooleanField()


class ResultsSerializer(serializers.Serializer):
    contest = serializers.CharField()
    published = serializers.BooleanField()
    public_weight = serializers.IntegerField()
    jury_weight = serializers.IntegerField()
    normalised_reviewers = serializers.BooleanField()
    winners_chosen_by_managers = serializers.BooleanField()
    voting_method = serializers.CharField()
    entries = ResultEntrySerializer(many=True)


class ReviewSettingsSerializer(serializers.Serializer):
    reviewers_per_proposal = serializers.IntegerField(min_value=1, max_value=20)
    blind = serializers.BooleanField()
    normalise = serializers.BooleanField()
    winners_count = serializers.IntegerField(min_value=0, max_value=100)


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    weight = serializers.IntegerField(min_value=1, max_value=100, help_text="Percent; the weights add up to 100.")


class ReviewerProgressSerializer(serializers.ModelSerializer):
    assigned = serializers.IntegerField()
    submitted = serializers.IntegerField()
    conflict_count = serializers.IntegerField()

    class Meta:
        model = ContestReviewer
        fields = ["id", "email", "status", "invited_at", "accepted_at", "assigned", "submitted", "conflict_count"]


class ProposalProgressSerializer(serializers.Serializer):
    proposal_id = serializers.IntegerField()
    title = serializers.CharField()
    assigned = serializers.IntegerField()
    submitted = serializers.IntegerField()


class DisagreementSerializer(serializers.Serializer):
    proposal_id = serializers.IntegerField()
    title = serializers.CharField()
    spread = serializers.FloatField()
    low = serializers.FloatField()
    high = serializers.FloatField()
    reviews = serializers.IntegerField()


class AgreementSerializer(serializers.Serializer):
    alpha = serializers.FloatField(allow_null=True, help_text="Krippendorff's alpha (interval) over raw scores.")
    reviews = serializers.IntegerField()
    disagreements = DisagreementSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    reviewers = ReviewerProgressSerializer(many=True)
    proposals = ProposalProgressSerializer(many=True)
    assigned = serializers.IntegerField()
    submitted = serializers.IntegerField()
    agreement = AgreementSerializer()
