"""Staff views of ratings and credit.

Ratings change only through the services: the change view is read-only and moderators
(``ratings.change_rating``) take a rating down with the "Remove ratings" action, which asks for
a reason and calls ``rating_remove`` (the rating stops counting and the figures follow). The
suspicious-ratings report (``ratings.reports``), linked from the ratings list, shows where to
look. Seller and buyer credit are read-only lists of the figures.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from escrow.admin import ReadOnlyMixin
from ratings import reports
from ratings.conf import ratings_setting
from ratings.models import BuyerCredit, Rating, SellerCredit
from ratings.services.counting import grade_level, grade_name
from ratings.services.figures import good_rate
from ratings.services.ratings import rating_remove
from shops.admin import ChangedByActionsAdmin, reason_action

remove_ratings = reason_action(
    name="remove_ratings",
    description="Remove ratings (they stop counting)",
    done="Removed",
    apply=lambda rating, user, reason: rating_remove(rating=rating, staff=user, reason=reason),
)


class QuickConfirmationFilter(admin.SimpleListFilter):
    """Ratings of orders whose receipt was confirmed soon after shipping (report signal b)."""

    title = "receipt confirmed"
    parameter_name = "confirmed"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        hours = int(reports.QUICK_CONFIRMATION / timedelta(hours=1))
        return [("quick", f"Within {hours} h of shipping")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Rating]) -> QuerySet[Rating]:
        if self.value() == "quick":
            return queryset.filter(
                order__completed_at__lt=F("order__shipped_at") + reports.QUICK_CONFIRMATION
            ).exclude(order__shipping_method="virtual")
        return queryset


@admin.register(Rating)
class RatingAdmin(ChangedByActionsAdmin):
    list_display = (
        "__str__",
        "shop",
        "buyer",
        "value",
        "status",
        "counted",
        "points",
        "count_note",
        "is_default",
        "rated_at",
    )
    list_filter = (
        "role",
        "value",
        "status",
        "counted",
        "count_note",
        "is_default",
        QuickConfirmationFilter,
        "rated_at",
    )
    search_fields = ("shop__name", "buyer__username", "order__public_id")
    search_help_text = "Shop name, buyer's username or order id."
    list_select_related = ("shop", "buyer")
    date_hierarchy = "rated_at"
    fields = (
        "order_link",
        "role",
        "rater",
        "buyer",
        "shop",
        "listing",
        "item_title",
        "goods_total",
        "order_created_at",
        "value",
        "comment",
        "dsr_described",
        "dsr_attitude",
        "dsr_shipping",
        "is_default",
        "status",
        "rated_at",
        "window_ends_at",
        "published_at",
        "original_value",
        "revised_at",
        "reply",
        "replied_at",
        "counted",
        "points",
        "count_note",
        "removed_reason",
        "removed_by",
        "removed_at",
    )
    actions = [remove_ratings]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Rating]:
        return super().get_queryset(request).select_related("order")

    @admin.display(description="order")
    def order_link(self, rating: Rating) -> str:
        url = reverse(
            "admin:escrow_order_change", args=[rating.order_id], current_app=self.admin_site.name
        )
        return format_html('<a href="{}">{}</a>', url, rating.order.public_id)

    def get_urls(self) -> list[URLPattern]:
        report = path(
            "suspicious/",
            self.admin_site.admin_view(self.suspicious_view),
            name="ratings_rating_suspicious",
        )
        return [report, *super().get_urls()]

    def suspicious_view(self, request: HttpRequest) -> HttpResponse:
        """The suspicious-ratings report: one section per signal, strongest first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Suspicious ratings",
            "opts": self.opts,
            "report": reports.suspicious_report(),
            "thresholds": {
                "lookback_days": reports.LOOKBACK.days,
                "pair_orders": reports.PAIR_ORDERS,
                "pair_days": reports.PAIR_PERIOD.days,
                "quick_minutes": int(reports.QUICK_CONFIRMATION / timedelta(minutes=1)),
                "quick_orders": reports.QUICK_ORDERS,
                "account_days": reports.NEW_ACCOUNT_AGE.days,
                "cheap_percent": int(reports.CHEAP_SHARE * 100),
                "usual_lines": reports.USUAL_PRICE_LINES,
                "rows": reports.REPORT_ROWS,
            },
        }
        return TemplateResponse(request, "admin/ratings/rating/suspicious.html", context)


# --- Credit figures ---------------------------------------------------------------------------


class GradeFilter(admin.SimpleListFilter):
    """Scores by kind of grade: hearts, diamonds, crowns, golden crowns."""

    title = "grade"
    parameter_name = "grade"
    KINDS = ("hearts", "diamonds", "crowns", "golden crowns")

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("none", "None"), *((kind, kind.capitalize()) for kind in self.KINDS)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        floors = ratings_setting("GRADE_FLOORS")
        if self.value() == "none":
            return queryset.filter(score__lt=floors[0])
        if self.value() in self.KINDS:
            kind = self.KINDS.index(self.value())
            queryset = queryset.filter(score__gte=floors[kind * 5])
            if kind * 5 + 5 < len(floors):
                queryset = queryset.filter(score__lt=floors[kind * 5 + 5])
        return queryset


class CreditAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The figures, as the counting rules left them (``credit_verify`` checks them against a
    rebuild from the ratings). Good, neutral and bad cover the last 180 days."""

    list_filter = (GradeFilter,)
    ordering = ("-score",)

    @admin.display(description="grade", ordering="score")
    def grade(self, credit: SellerCredit | BuyerCredit) -> str:
        return grade_name(grade_level(credit.score))

    @admin.display(description="good rate")
    def good_rate_shown(self, credit: SellerCredit | BuyerCredit) -> str:
        rate = good_rate(credit.good, credit.neutral, credit.bad)
        return "—" if rate is None else f"{rate * 100:.2f}%"


@admin.register(SellerCredit)
class SellerCreditAdmin(CreditAdmin):
    list_display = (
        "shop",
        "score",
        "grade",
        "good_rate_shown",
        "good",
        "neutral",
        "bad",
        "dsr_described",
        "dsr_attitude",
        "dsr_shipping",
    )
    list_select_related = ("shop",)
    search_fields = ("shop__name",)

    @staticmethod
    def _mean(total: int, count: int) -> str:
        return "—" if not count else f"{Decimal(total) / count:.2f}"

    @admin.display(description="item as described")
    def dsr_described(self, credit: SellerCredit) -> str:
        return self._mean(credit.dsr_described_sum, credit.dsr_count)

    @admin.display(description="service attitude")
    def dsr_attitude(self, credit: SellerCredit) -> str:
        return self._mean(credit.dsr_attitude_sum, credit.dsr_count)

    @admin.display(description="shipping speed")
    def dsr_shipping(self, credit: SellerCredit) -> str:
        return self._mean(credit.dsr_shipping_sum, credit.dsr_count)


@admin.register(BuyerCredit)
class BuyerCreditAdmin(CreditAdmin):
    list_display = ("user", "score", "grade", "good_rate_shown", "good", "neutral", "bad")
    list_select_related = ("user",)
    search_fields = ("user__username",)
