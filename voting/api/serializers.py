from rest_framework import serializers


class VoteRequestSerializer(serializers.Serializer):
    # Parsed by voting.services.vote_value_parse, which knows the contest's method and explains refusals.
    value = serializers.JSONField(help_text="updown: 1 or -1; approval: 1; stars: 1 to 5.")


class VoteResponseSerializer(serializers.Serializer):
    proposal_id = serializers.IntegerField()
    value = serializers.IntegerField(allow_null=True)
    remaining_supports = serializers.IntegerField(allow_null=True, help_text="Approval contests only.")


class PairProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField()


class PairSerializer(serializers.Serializer):
    pair = PairProposalSerializer(many=True, allow_null=True)
    detail = serializers.CharField(required=False)


class PairJudgementSerializer(serializers.Serializer):
    winner = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    loser = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    skip = serializers.BooleanField(default=False, help_text="Skip this pair instead of choosing.")


class LeaderboardEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    proposal_id = serializers.IntegerField()
    title = serializers.CharField()
    score = serializers.FloatField()
    votes = serializers.IntegerField()
    url = serializers.CharField()


class LeaderboardSerializer(serializers.Serializer):
    type = serializers.CharField()
    contest = serializers.CharField()
    version = serializers.IntegerField()
    method = serializers.CharField()
    total_votes = serializers.IntegerField()
    updated_at = serializers.CharField()
    entries = LeaderboardEntrySerializer(many=True)
    ranking_judgements = serializers.IntegerField(
        required=False, help_text="Pairwise only: the judgements the ranking's Bradley–Terry fit counts."
    )
    ranking_fitted_at = serializers.CharField(required=False, help_text="Pairwise only: when that fit was made.")
