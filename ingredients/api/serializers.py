from rest_framework import serializers

from ingredients.models import INGREDIENT_FACT_FIELDS, PRODUCT_CATEGORIES, Favorite, Ingredient, Product
from skincare.core.serializers import BuiltFieldsCacheMixin


class IngredientRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    inci_name = serializers.CharField()


class IngredientAnalysisItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    raw = serializers.CharField()
    name = serializers.CharField()
    ingredient = IngredientRefSerializer(allow_null=True)
    match_confidence = serializers.FloatField(allow_null=True)
    match_method = serializers.CharField()
    rating = serializers.ChoiceField(choices=["green", "yellow", "red"], allow_null=True)
    flags = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())
    hazard_score = serializers.IntegerField(allow_null=True)
    functions = serializers.ListField(child=serializers.CharField())
    may_contain = serializers.BooleanField()


class IngredientWarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    ingredients = serializers.ListField(child=serializers.CharField())


class ActiveConflictSerializer(serializers.Serializer):
    classes = serializers.ListField(child=serializers.CharField())
    advice = serializers.CharField()
    apart = serializers.CharField(required=False, help_text="day: never on the same day; routine: not in one routine")
    source = serializers.CharField(required=False, help_text="Where the rule comes from")


class IngredientAnalysisSerializer(serializers.Serializer):
    """An ingredient-list analysis (API.md)."""

    ingredients = IngredientAnalysisItemSerializer(many=True)
    verdict = serializers.ChoiceField(choices=["green", "yellow", "red"], allow_null=True)
    score = serializers.IntegerField(allow_null=True, help_text="0-100, 100 best; null when nothing matched")
    rule = serializers.CharField()
    warnings = IngredientWarningSerializer(many=True)
    unknown = serializers.ListField(child=serializers.CharField())
    conflicts = ActiveConflictSerializer(many=True)
    active_classes = serializers.ListField(child=serializers.CharField())
    good_for = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    counts = serializers.DictField(child=serializers.IntegerField())
    personalized = serializers.BooleanField()
    disclaimer = serializers.CharField()


class ScanResultSerializer(IngredientAnalysisSerializer):
    text = serializers.CharField(required=False, help_text="What was read from the photo (photo scans)")
    scan_id = serializers.UUIDField(required=False)


class ScanInputSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="The label photo (multipart)")
    image_data = serializers.CharField(required=False, help_text="Base64 image, for clients without multipart")
    ingredients = serializers.ListField(
        child=serializers.CharField(max_length=255),
        required=False,
        max_length=300,
        help_text="Instead of a photo: the list already read (INCI or common names such as Vitamin C)",
    )
    text = serializers.CharField(required=False, max_length=20000, help_text="Instead of a photo: the label text")


class ScanJsonInputSerializer(serializers.Serializer):
    """The JSON body of a scan: its own schema component, so a generated client tells it from the multipart one."""

    image_data = serializers.CharField(help_text="Base64 image, for clients without multipart")


class AnalyzeInputSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=False, max_length=20000, trim_whitespace=True)
    ingredients = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, allow_empty=False, max_length=300
    )

    def validate(self, attrs):
        if not attrs.get("text") and not attrs.get("ingredients"):
            raise serializers.ValidationError(
                "Send `text` (the label) or `ingredients` (a list of names).", code="no_ingredients"
            )
        return attrs


class IngredientListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ingredient
        fields = [
            "id",
            "inci_name",
            "synonyms",
            "functions",
            "hazard_score",
            "is_fragrance",
            "is_allergen",
            "eu_status",
            "active_class",
        ]


class IngredientDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ingredient
        fields = ["id", "inci_name", *INGREDIENT_FACT_FIELDS, "updated_at"]


class ProductListSerializer(BuiltFieldsCacheMixin, serializers.ModelSerializer):
    is_favorite = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "brand",
            "name",
            "category",
            "barcode",
            "price",
            "currency",
            "size_ml",
            "pao_months",
            "spf",
            "is_vegan",
            "is_demo",
            "is_favorite",
        ]

    def get_is_favorite(self, obj) -> bool:
        return obj.pk in self.context.get("favorite_ids", set())


class ProductIngredientSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    raw_name = serializers.CharField()
    ingredient = IngredientRefSerializer(allow_null=True)


class ProductDetailSerializer(ProductListSerializer):
    ingredients = serializers.SerializerMethodField()
    analysis = serializers.SerializerMethodField()

    class Meta(ProductListSerializer.Meta):
        fields = [*ProductListSerializer.Meta.fields, "ingredients_text", "ingredients", "analysis"]

    def get_ingredients(self, obj) -> list[dict]:
        return [
            {
                "position": pi.position,
                "raw_name": pi.raw_name,
                "ingredient": {"id": str(pi.ingredient_id), "inci_name": pi.ingredient.inci_name}
                if pi.ingredient_id
                else None,
            }
            for pi in obj.product_ingredients.all()
        ]

    def get_analysis(self, obj) -> dict:
        return self.context.get("analysis") or {}


class FavoriteSerializer(serializers.ModelSerializer):
    product = ProductListSerializer(read_only=True)

    class Meta:
        model = Favorite
        fields = ["id", "product", "created_at"]


class FavoriteInputSerializer(serializers.Serializer):
    product = serializers.UUIDField()


class ProductQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    category = serializers.ChoiceField(choices=[c for c, _ in PRODUCT_CATEGORIES], required=False)
