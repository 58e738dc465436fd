"""Input and output shapes of the search API."""

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from search.selectors import SORT_CHOICES
from shops.credit import credit_grade_name
from shops.models import Category, Listing


class SearchInputSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Category.objects.all(),
        required=False,
        help_text="A category's slug: listings in it and in every category under it.",
    )
    price_min = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False
    )
    price_max = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False
    )
    province = serializers.CharField(required=False, max_length=60, default="")
    city = serializers.CharField(required=False, max_length=60, default="")
    min_grade = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=20,
        help_text="Lowest seller credit level: 1–5 hearts, 6–10 diamonds, 11–15 crowns, "
        "16–20 golden crowns.",
    )
    shipping = serializers.ChoiceField(
        choices=Listing.ShippingMethod.choices, required=False, default=""
    )
    in_stock = serializers.BooleanField(required=False, default=False)
    sort = serializers.ChoiceField(choices=SORT_CHOICES, required=False, default="relevance")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("price_min"), attrs.get("price_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"price_max": ["Must not be below price_min."]})
        return attrs


class SuggestInputSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=100, allow_blank=True)


class ExplainInputSerializer(SearchInputSerializer):
    listing = serializers.UUIDField(help_text="The listing to explain.")


class SearchCreditSerializer(serializers.Serializer[Any]):
    level = serializers.IntegerField(source="credit_level")
    grade = serializers.SerializerMethodField()
    good_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, allow_null=True, read_only=True
    )

    def get_grade(self, shop: Any) -> str:
        return credit_grade_name(shop.credit_level)


class SearchShopSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField()
    name = serializers.CharField()
    province = serializers.CharField()
    city = serializers.CharField()
    credit = SearchCreditSerializer(source="*")


class SearchListingSerializer(serializers.Serializer[Listing]):
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    price_min = serializers.DecimalField(max_digits=12, decimal_places=2)
    price_max = serializers.DecimalField(max_digits=12, decimal_places=2)
    shipping_method = serializers.CharField()
    in_stock = serializers.SerializerMethodField()
    sales_30d = serializers.SerializerMethodField(help_text="Units sold in the last 30 days.")
    category = serializers.CharField(source="category.slug")
    cover = serializers.SerializerMethodField(help_text="The first image's thumbnail, or null.")
    shop = SearchShopSerializer()

    def get_in_stock(self, listing: Listing) -> bool:
        return listing.total_stock > 0

    def get_sales_30d(self, listing: Listing) -> int:
        return int(getattr(listing, "sales_30d", 0))

    def get_cover(self, listing: Listing) -> str | None:
        first = next(iter(listing.images.all()), None)
        if first is None or not first.thumbnail:
            return None
        request: Request | None = self.context.get("request")
        url = first.thumbnail.url
        return request.build_absolute_uri(url) if request else url


class FacetCategorySerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class FacetProvinceSerializer(serializers.Serializer[Any]):
    province = serializers.CharField()
    count = serializers.IntegerField()


class FacetPriceSerializer(serializers.Serializer[Any]):
    min = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    max = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer[Any]):
    category = FacetCategorySerializer(many=True, help_text="Counts per child category.")
    province = FacetProvinceSerializer(many=True)
    price = FacetPriceSerializer(many=True, help_text="Counts per range of the lowest price.")


class SearchOutputSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(help_text="Listings matching the query and filters.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    did_you_mean = serializers.CharField(
        allow_null=True, help_text="The query with misspelt words corrected, when any was."
    )
    facets = FacetsSerializer()
    results = SearchListingSerializer(many=True)


class SuggestionSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=["query", "title"])


class ExplainSignalSerializer(serializers.Serializer[Any]):
    signal = serializers.CharField()
    value = serializers.JSONField(help_text="The signal as stored (a level, rate, count, date).")
    scaled = serializers.FloatField(help_text="The signal on its 0–1 scale (negative: penalty).")
    weight = serializers.FloatField()
    contribution = serializers.FloatField(help_text="weight × scaled, added to the score.")


class ExplainOutputSerializer(serializers.Serializer[Any]):
    matches = serializers.BooleanField(help_text="Whether the listing matches the query at all.")
    score = serializers.FloatField()
    position = serializers.IntegerField(
        allow_null=True, help_text="Its place in the results (null: beyond the deepest page)."
    )
    total = serializers.IntegerField()
    plan = serializers.CharField()
    signals = ExplainSignalSerializer(many=True)
    indexed_at = serializers.DateTimeField()
