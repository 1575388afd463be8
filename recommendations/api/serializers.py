from rest_framework import serializers

from ..models import INTERACTION_KINDS, Interaction


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="concern, similar_users, similar_ingredients, preference, safe, budget, basics, popular (only with "
        "people to count: `count`)"
    )
    text = serializers.CharField()
    ingredient = serializers.CharField(required=False)
    concern = serializers.CharField(required=False)
    concerns = serializers.ListField(child=serializers.CharField(), required=False)
    because_of = serializers.CharField(required=False, help_text="Id of a product of yours it is often used with")
    count = serializers.IntegerField(required=False, help_text="popular: how many people here use it")


class RecommendationSerializer(serializers.Serializer):
    """A product (its catalogue fields) with the match score and the reasons."""

    id = serializers.UUIDField(source="product.id")
    brand = serializers.CharField(source="product.brand")
    name = serializers.CharField(source="product.name")
    category = serializers.CharField(source="product.category")
    price = serializers.DecimalField(source="product.price", max_digits=8, decimal_places=2, allow_null=True)
    currency = serializers.CharField(source="product.currency")
    is_vegan = serializers.BooleanField(source="product.is_vegan")
    is_demo = serializers.BooleanField(source="product.is_demo", help_text="Demo catalogue data, not a real listing")
    spf = serializers.IntegerField(source="product.spf", allow_null=True)
    score = serializers.IntegerField(
        allow_null=True,
        help_text="0-100 match with your needs and with what people like you use; null while nothing is known to "
        "match (no concerns, analysis or history): see basis.to_personalise",
    )
    reasons = serializers.ListField(child=serializers.CharField())
    reason_details = ReasonSerializer(many=True, source="details")


class PersonaliseSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["take_analysis", "add_concerns", "add_skin_type"])
    text = serializers.CharField()


class BasisSerializer(serializers.Serializer):
    analysis = serializers.UUIDField(allow_null=True, help_text="The analysis the measured concerns come from")
    concerns = serializers.ListField(child=serializers.CharField())
    interactions = serializers.IntegerField()
    collaborative_weight = serializers.FloatField(help_text="Share of the score from people with similar shelves")
    model_version = serializers.IntegerField(allow_null=True)
    excluded_owned = serializers.IntegerField()
    personal = serializers.BooleanField(help_text="Whether the list is matched to you (else scores are null)")
    to_personalise = PersonaliseSerializer(many=True, help_text="What would make the list (more) personal")
    budget = serializers.CharField(allow_null=True, help_text="The profile's budget: products over its cap rank lower")
    catalog_size = serializers.IntegerField(help_text="Products in the catalogue (0: nothing to recommend yet)")


class RecommendationListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = RecommendationSerializer(many=True)
    basis = BasisSerializer()


class RecommendationQuerySerializer(serializers.Serializer):
    category = serializers.CharField(required=False, allow_blank=True)
    limit = serializers.CharField(required=False, allow_blank=True)
    include_owned = serializers.BooleanField(required=False, default=False)


class InteractionInSerializer(serializers.Serializer):
    product = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=[k for k, _ in INTERACTION_KINDS if k in {"view", "rating"}])
    value = serializers.FloatField(required=False, min_value=1, max_value=5)


class InteractionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Interaction
        fields = ["id", "product", "kind", "value", "created_at", "updated_at"]
