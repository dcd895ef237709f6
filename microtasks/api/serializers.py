from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from microtasks.models import Campaign, Claim, Item, Submission


class CampaignSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    slots_left = serializers.IntegerField(source="free_slots", read_only=True)
    instructions_html = serializers.CharField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id", "agency", "title", "instructions", "instructions_html", "kind", "questions", "choices", "slots",
            "slots_left", "claim_minutes", "starts_at", "ends_at", "reward_points", "review_hours",
            "required_badge", "min_approved", "latitude", "longitude", "radius_m", "allow_redo",
            "answers_per_item", "agreement", "gold_accuracy_min", "gold_min_answers", "batch_size",
        ]  # fmt: skip
        read_only_fields = ["id", "agency", "slots_left", "instructions_html"]


class SubmissionSerializer(serializers.ModelSerializer):
    citizen = serializers.CharField(source="claim.citizen.public_name", read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "claim", "citizen", "round", "latitude", "longitude", "answers", "status", "submitted_at",
                  "review_due_at", "reviewed_at", "auto_approved", "reason"]  # fmt: skip
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    submissions = SubmissionSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "campaign", "campaign_title", "status", "claimed_at", "expires_at", "redo_used", "submissions"]
        read_only_fields = fields


class ProofSerializer(serializers.Serializer):
    photo = serializers.ImageField()
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    answers = serializers.JSONField(required=False, default=dict)


@extend_schema_serializer(component_name="TaskReview")
class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "external_id", "text", "image"]
        read_only_fields = fields


class ItemAnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**62)
    answer = serializers.CharField(max_length=100)


class ItemsUploadSerializer(serializers.Serializer):
    csv_file = serializers.FileField()


class FiguresSerializer(serializers.Serializer):
    campaigns = serializers.IntegerField()
    tasks_posted = serializers.IntegerField()
    tasks_completed = serializers.IntegerField()
    median_review_hours = serializers.FloatField(allow_null=True)
    points_paid = serializers.IntegerField()
