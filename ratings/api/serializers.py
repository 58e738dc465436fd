"""Input and output shapes of the ratings API. Rules live in the services.

A rating's value leaves and arrives as a word (``good``, ``neutral``, ``bad``). An individual
buyer's DSR scores only ever go back to that buyer: the other side and the public see a shop's
means.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ratings.models import Rating
from ratings.selectors import (
    VALUE_NAMES,
    VALUES_BY_NAME,
    CreditSummary,
    DsrItem,
    mask_username,
    rater_username,
)
from shops.models import Category, Shop

VALUE_CHOICES = [("good", "Good (+1)"), ("neutral", "Neutral (0)"), ("bad", "Bad (−1)")]


class RatingValueField(serializers.ChoiceField):
    """``good``, ``neutral`` or ``bad`` on the wire; the model's +1, 0 or −1 inside."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=VALUE_CHOICES, **kwargs)

    def to_internal_value(self, data: Any) -> int:  # type: ignore[override]
        return VALUES_BY_NAME[super().to_internal_value(data)]

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]
        return None if value is None else VALUE_NAMES.get(value, str(value))


# --- Input ------------------------------------------------------------------------------------


class DsrInputSerializer(serializers.Serializer[Any]):
    described = serializers.IntegerField(
        min_value=1, max_value=5, help_text="Item as described, 1–5."
    )
    attitude = serializers.IntegerField(
        min_value=1, max_value=5, help_text="Service attitude, 1–5."
    )
    shipping = serializers.IntegerField(min_value=1, max_value=5, help_text="Shipping speed, 1–5.")


class RatingInputSerializer(serializers.Serializer[Any]):
    value = RatingValueField()
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=500, help_text="At most 500."
    )
    dsr = DsrInputSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="The buyer's detailed seller ratings (required from the buyer; the seller "
        "sends none). Anonymous: the seller and the public only ever see the shop's means.",
    )


class ReplyInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=500, help_text="Your public answer, once.")


class ReviseInputSerializer(serializers.Serializer[Any]):
    delete = serializers.BooleanField(
        default=False, help_text="Delete the rating instead of changing it to good."
    )


# --- A rating, as a side of its order sees it --------------------------------------------------


class DsrOutputSerializer(serializers.Serializer[Rating]):
    described = serializers.IntegerField(source="dsr_described", read_only=True)
    attitude = serializers.IntegerField(source="dsr_attitude", read_only=True)
    shipping = serializers.IntegerField(source="dsr_shipping", read_only=True)


class ReceivedRatingOutputSerializer(serializers.Serializer[Rating]):
    """A rating as its rated side sees it (no DSR scores)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    role = serializers.ChoiceField(choices=Rating.Role.choices, read_only=True)
    value = RatingValueField(read_only=True)
    comment = serializers.CharField(read_only=True)
    is_default = serializers.BooleanField(
        read_only=True,
        help_text="The marketplace recorded it: this side did not rate in time, the other side "
        "rated it good.",
    )
    status = serializers.ChoiceField(choices=Rating.Status.choices, read_only=True)
    rated_at = serializers.DateTimeField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    reply = serializers.CharField(read_only=True, help_text="The rated side's answer.")
    replied_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revised_at = serializers.DateTimeField(read_only=True, allow_null=True)
    original_value = RatingValueField(
        read_only=True, allow_null=True, help_text="The value before the rater revised it."
    )


class GivenRatingOutputSerializer(ReceivedRatingOutputSerializer):
    """A rating as its rater sees it: with the rater's own DSR scores."""

    dsr = serializers.SerializerMethodField()

    @extend_schema_field(DsrOutputSerializer(allow_null=True))
    def get_dsr(self, rating: Rating) -> dict[str, Any] | None:
        return DsrOutputSerializer(rating).data if rating.has_dsr else None


class OrderRatingsOutputSerializer(serializers.Serializer[Any]):
    """An ``ratings.selectors.OrderRatings``."""

    order = serializers.UUIDField(source="order.public_id", read_only=True)
    side = serializers.ChoiceField(
        choices=[("buyer", "buyer"), ("seller", "seller")],
        read_only=True,
        help_text="Your side of the order.",
    )
    may_rate = serializers.BooleanField(
        read_only=True, help_text="The order is completed, you have not rated, the window is open."
    )
    window_ends_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="Until when the order can be rated (15 days after completion); null for an "
        "order that is not completed.",
    )
    given = GivenRatingOutputSerializer(
        read_only=True, allow_null=True, help_text="Your rating of the other side."
    )
    received = ReceivedRatingOutputSerializer(
        read_only=True,
        allow_null=True,
        help_text="The other side's rating of you; null until it is published (when both sides "
        "have rated, or the window ends).",
    )


# --- Public lists -----------------------------------------------------------------------------


class PublicRatingOutputSerializer(serializers.Serializer[Rating]):
    """A published rating in a public list: no DSR scores, the rater's name masked."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    value = RatingValueField(read_only=True)
    comment = serializers.CharField(read_only=True)
    reply = serializers.CharField(read_only=True)
    replied_at = serializers.DateTimeField(read_only=True, allow_null=True)
    item_title = serializers.CharField(read_only=True)
    rated_at = serializers.DateTimeField(read_only=True)
    is_default = serializers.BooleanField(
        read_only=True, help_text="A default good rating: the rater did not rate in time."
    )
    is_revised = serializers.SerializerMethodField(help_text="Changed to good by the rater.")
    rater = serializers.SerializerMethodField(help_text='Masked, e.g. "l***a".')

    def get_is_revised(self, rating: Rating) -> bool:
        return rating.revised_at is not None

    def get_rater(self, rating: Rating) -> str:
        return mask_username(rater_username(rating))


class RatingShopOutputSerializer(serializers.Serializer[Shop]):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class BuyerRatingOutputSerializer(PublicRatingOutputSerializer):
    shop = RatingShopOutputSerializer(read_only=True, help_text="The shop that rated.")


class RatingCategoryOutputSerializer(serializers.Serializer[Category]):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


def _mean(**options: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, allow_null=True, **options
    )


class DsrItemOutputSerializer(serializers.Serializer[DsrItem]):
    # ``label`` is also an attribute name of DRF's own classes.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    mean = _mean(source="shown_mean", help_text="The shop's mean over 180 days; null: none yet.")
    category_mean = _mean(source="shown_category_mean", help_text="The category's mean.")
    versus_category = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Percent above (positive) or below (negative) the category mean.",
    )


class ShopDsrOutputSerializer(serializers.Serializer[CreditSummary]):
    described = serializers.SerializerMethodField()
    attitude = serializers.SerializerMethodField()
    shipping = serializers.SerializerMethodField()

    def _item(self, summary: CreditSummary, name: str) -> dict[str, Any]:
        item = next(item for item in summary.dsr if item.item == name)
        return DsrItemOutputSerializer(item).data

    @extend_schema_field(DsrItemOutputSerializer)
    def get_described(self, summary: CreditSummary) -> dict[str, Any]:
        return self._item(summary, "described")

    @extend_schema_field(DsrItemOutputSerializer)
    def get_attitude(self, summary: CreditSummary) -> dict[str, Any]:
        return self._item(summary, "attitude")

    @extend_schema_field(DsrItemOutputSerializer)
    def get_shipping(self, summary: CreditSummary) -> dict[str, Any]:
        return self._item(summary, "shipping")


class CreditSummaryOutputSerializer(serializers.Serializer[CreditSummary]):
    score = serializers.IntegerField(read_only=True)
    level = serializers.IntegerField(
        read_only=True,
        help_text="0 (no grade), 1–5 hearts, 6–10 diamonds, 11–15 crowns, 16–20 golden crowns.",
    )
    grade = serializers.CharField(
        read_only=True, help_text='"none", "1 heart" … "5 golden crowns".'
    )
    good_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text="Good among counted ratings of the last 180 days (0.9876 is 98.76%).",
    )
    good = serializers.IntegerField(read_only=True, help_text="Counted, last 180 days.")
    neutral = serializers.IntegerField(read_only=True, help_text="Counted, last 180 days.")
    bad = serializers.IntegerField(read_only=True, help_text="Counted, last 180 days.")


class ShopCreditSummaryOutputSerializer(CreditSummaryOutputSerializer):
    dsr_count = serializers.IntegerField(
        read_only=True, help_text="Buyers' DSR scores behind the means."
    )
    category = RatingCategoryOutputSerializer(
        read_only=True,
        allow_null=True,
        help_text="The top-level category the DSR is compared with: that of most of the "
        "shop's listings on sale.",
    )
    dsr = ShopDsrOutputSerializer(source="*", read_only=True)


class _PageOutputSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(read_only=True)
    next = serializers.URLField(read_only=True, allow_null=True)
    previous = serializers.URLField(read_only=True, allow_null=True)


class ShopRatingsPageOutputSerializer(_PageOutputSerializer):
    summary = ShopCreditSummaryOutputSerializer(read_only=True)
    results = PublicRatingOutputSerializer(many=True, read_only=True)


class BuyerRatingsPageOutputSerializer(_PageOutputSerializer):
    summary = CreditSummaryOutputSerializer(read_only=True)
    results = BuyerRatingOutputSerializer(many=True, read_only=True)


class PublicRatingFilterInputSerializer(serializers.Serializer[Any]):
    value = serializers.ChoiceField(
        choices=VALUE_CHOICES, required=False, default="", help_text="Only this value."
    )
