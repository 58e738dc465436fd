"""Input and output shapes of the shop and catalogue API. Rules live in the services."""

from decimal import Decimal
from typing import Any

from django.db.models.fields.files import FieldFile
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from shops.credit import credit_grade_name
from shops.models import SKU, Category, Listing, ListingImage, Place, Shop, ShopVerification
from shops.selectors import LISTING_ORDERINGS


def absolute_file_url(request: Request | None, file: FieldFile) -> str | None:
    if not file:
        return None
    return request.build_absolute_uri(file.url) if request else file.url


@extend_schema_field(OpenApiTypes.URI)
class FileUrlField(serializers.Field[FieldFile, Any, str | None, Any]):
    """The absolute URL of a stored file, or null when there is none."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: FieldFile) -> str | None:
        return absolute_file_url(self.context.get("request"), value)


# --- Shops ------------------------------------------------------------------------------------


class ShopCreditOutputSerializer(serializers.Serializer[Shop]):
    """The shop's seller credit, as ``ratings`` last computed it."""

    score = serializers.IntegerField(source="credit_score", read_only=True)
    level = serializers.IntegerField(
        source="credit_level",
        read_only=True,
        help_text="0 (no grade), 1–5 hearts, 6–10 diamonds, 11–15 crowns, 16–20 golden crowns.",
    )
    grade = serializers.SerializerMethodField(help_text='"none", "1 heart" … "5 golden crowns".')
    good_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text="Good ratings among the counted ratings of the last 180 days (0.9876 is "
        "98.76%); null before the first.",
    )

    def get_grade(self, shop: Shop) -> str:
        return credit_grade_name(shop.credit_level)


class LocationOutputSerializer(serializers.ModelSerializer[Shop]):
    class Meta:
        model = Shop
        fields = ("province", "city", "county", "village")
        read_only_fields = fields


class ShopOutputSerializer(serializers.ModelSerializer[Shop]):
    status = serializers.ChoiceField(choices=Shop.Status.choices, read_only=True)
    logo = FileUrlField()
    logo_thumbnail = FileUrlField()
    location = LocationOutputSerializer(source="*", read_only=True)
    credit = ShopCreditOutputSerializer(source="*", read_only=True)

    class Meta:
        model = Shop
        fields: tuple[str, ...] = (
            "slug",
            "name",
            "description",
            "logo",
            "logo_thumbnail",
            "location",
            "status",
            "credit",
            "created_at",
        )
        read_only_fields: tuple[str, ...] = fields


class VerificationOutputSerializer(serializers.ModelSerializer[ShopVerification]):
    """The seller's own verification; identity and account numbers only ever masked."""

    status = serializers.ChoiceField(choices=ShopVerification.Status.choices, read_only=True)

    class Meta:
        model = ShopVerification
        fields = (
            "status",
            "rejection_reason",
            "legal_name",
            "id_number_masked",
            "bank_name",
            "bank_account_masked",
            "submitted_at",
            "reviewed_at",
        )
        read_only_fields = fields


class SellerShopOutputSerializer(ShopOutputSerializer):
    verification = VerificationOutputSerializer(read_only=True, allow_null=True)

    class Meta(ShopOutputSerializer.Meta):
        fields = (
            *ShopOutputSerializer.Meta.fields,
            "place",
            "contact_phone",
            "contact_wechat",
            "verification",
            "updated_at",
        )
        read_only_fields = fields


class ShopInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all())
    slug = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    contact_wechat = serializers.CharField(required=False, allow_blank=True, max_length=60)
    logo = serializers.FileField(required=False)


# --- Categories -------------------------------------------------------------------------------


class CategoryOutputSerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ("slug", "name")
        read_only_fields = fields


class CategoryNodeOutputSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    name = serializers.CharField()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["children"] = CategoryNodeOutputSerializer(many=True)
        return fields


# --- Listings ---------------------------------------------------------------------------------


class ListingShopOutputSerializer(serializers.ModelSerializer[Shop]):
    credit = ShopCreditOutputSerializer(source="*", read_only=True)

    class Meta:
        model = Shop
        fields = ("slug", "name", "province", "city", "credit")
        read_only_fields = fields


class VariantAttributeOutputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    values = serializers.ListField(child=serializers.CharField())


class SkuAttributeOutputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    value = serializers.CharField()


class SkuOutputSerializer(serializers.ModelSerializer[SKU]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    attributes = serializers.SerializerMethodField()

    class Meta:
        model = SKU
        fields = ("id", "attributes", "label", "price", "stock")
        read_only_fields = fields

    @extend_schema_field(SkuAttributeOutputSerializer(many=True))
    def get_attributes(self, sku: SKU) -> list[dict[str, str]]:
        return [{"name": name, "value": value} for name, value in sku.ordered_attributes]


class ListingImageOutputSerializer(serializers.ModelSerializer[ListingImage]):
    url = FileUrlField(source="image")
    thumbnail = FileUrlField()

    class Meta:
        model = ListingImage
        fields = ("url", "thumbnail", "width", "height", "position")
        read_only_fields = fields


LISTING_FIELDS = (
    "id",
    "title",
    "category",
    "price_min",
    "price_max",
    "total_stock",
    "is_sold_out",
    "shipping_method",
    "shipping_fee",
    "cover",
    "published_at",
)
LISTING_DETAIL_FIELDS = ("description", "variant_attributes", "skus", "images")
SELLER_LISTING_FIELDS = ("status", "status_reason", "created_at", "updated_at")


class ListingOutputSerializer(serializers.ModelSerializer[Listing]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    shop = ListingShopOutputSerializer(read_only=True)
    category = CategoryOutputSerializer(read_only=True)
    is_sold_out = serializers.BooleanField(read_only=True)
    cover = serializers.SerializerMethodField(allow_null=True)

    class Meta:
        model = Listing
        fields: tuple[str, ...] = ("shop", *LISTING_FIELDS)
        read_only_fields: tuple[str, ...] = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_cover(self, listing: Listing) -> str | None:
        first = next(iter(listing.images.all()), None)
        return absolute_file_url(self.context.get("request"), first.thumbnail) if first else None


class ListingDetailOutputSerializer(ListingOutputSerializer):
    variant_attributes = VariantAttributeOutputSerializer(many=True, read_only=True)
    skus = SkuOutputSerializer(many=True, read_only=True)
    images = ListingImageOutputSerializer(many=True, read_only=True)

    class Meta(ListingOutputSerializer.Meta):
        fields: tuple[str, ...] = (*ListingOutputSerializer.Meta.fields, *LISTING_DETAIL_FIELDS)
        read_only_fields: tuple[str, ...] = fields


class SellerListingOutputSerializer(ListingOutputSerializer):
    status = serializers.ChoiceField(choices=Listing.Status.choices, read_only=True)

    class Meta(ListingOutputSerializer.Meta):
        fields = (*LISTING_FIELDS, *SELLER_LISTING_FIELDS)
        read_only_fields = fields


class SellerListingDetailOutputSerializer(ListingDetailOutputSerializer):
    status = serializers.ChoiceField(choices=Listing.Status.choices, read_only=True)

    class Meta(ListingDetailOutputSerializer.Meta):
        fields = (*LISTING_FIELDS, *LISTING_DETAIL_FIELDS, *SELLER_LISTING_FIELDS)
        read_only_fields = fields


class ListingFilterInputSerializer(serializers.Serializer[Any]):
    shop = serializers.CharField(required=False, help_text="A shop's slug.")
    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Category.objects.all(),
        required=False,
        help_text="A category's slug; its subcategories are included.",
    )
    price_min = serializers.DecimalField(max_digits=None, decimal_places=None, required=False)
    price_max = serializers.DecimalField(max_digits=None, decimal_places=None, required=False)
    in_stock = serializers.BooleanField(
        required=False, default=False, help_text="Only listings that are not sold out."
    )
    ordering = serializers.ChoiceField(choices=list(LISTING_ORDERINGS), default="newest")


class SellerListingFilterInputSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(
        required=False, default="", help_text="Text in the title or description."
    )
    status = serializers.ChoiceField(choices=Listing.Status.choices, required=False, default="")


class VariantAttributeInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    values = serializers.ListField(child=serializers.CharField())


class SkuInputSerializer(serializers.Serializer[Any]):
    attributes = serializers.DictField(child=serializers.CharField(), required=False, default=dict)
    price = serializers.DecimalField(max_digits=None, decimal_places=None)
    stock = serializers.IntegerField()


class ListingInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )
    shipping_method = serializers.ChoiceField(choices=Listing.ShippingMethod.choices)
    shipping_fee = serializers.DecimalField(
        max_digits=None, decimal_places=None, default=Decimal("0")
    )
    variant_attributes = VariantAttributeInputSerializer(many=True, required=False, default=list)
    skus = SkuInputSerializer(many=True)


class StockInputSerializer(serializers.Serializer[Any]):
    stock = serializers.IntegerField()
