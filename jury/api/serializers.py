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


class CriterionScoreSerializer(serializers.Serializer):
    score = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField(allow_blank=True)


class ReviewSerializer(serializers.ModelSerializer):
    contest = serializers.SlugRelatedField(source="reviewer.contest", slug_field="slug", read_only=True)
    proposal = ReviewProposalSerializer(read_only=True)
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["id", "contest", "proposal", "status", "submitted_at", "scores"]

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
