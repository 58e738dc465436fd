"""Staff moderation of shops and the catalogue.

Shops, listings and verifications change only through services: their change views are read-only
and every change is an admin action that asks for a reason (recorded on the ``ShopEvent`` audit
trail with the staff member as actor). Actions need the change permission, so a ``moderators``
group gets them by holding ``shops.change_shop``, ``shops.change_listing`` and
``shops.change_shopverification``.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import model_ngettext, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from marketplace.exceptions import ApplicationError
from shops.models import (
    SKU,
    Category,
    Listing,
    ListingImage,
    Place,
    ProhibitedTerm,
    ProtectedBrand,
    Shop,
    ShopEvent,
    ShopVerification,
)
from shops.services.listings import listing_take_down
from shops.services.places import place_refresh_names
from shops.services.shops import (
    shop_set_status,
    shop_verification_review,
    shop_violation_record,
)

# --- Actions that ask for a reason ------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text="Recorded on the audit trail; the seller sees it.",
    )


class ViolationForm(ReasonForm):
    """A confirmed violation: the reason field holds the evidence (DOMAIN §2)."""

    points = forms.IntegerField(
        min_value=1, max_value=48, help_text="12 in a calendar year hide the shop from search."
    )
    rule = forms.CharField(max_length=200, help_text="The rule broken.")
    field_order = ["points", "rule", "reason"]


ApplyWithReason = Callable[..., object]


def reason_action(
    *,
    name: str,
    description: str,
    done: str,
    apply: ApplyWithReason,
    form_class: type[ReasonForm] = ReasonForm,
) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet[Any]], HttpResponse | None]:
    """An admin action that asks for a reason on a confirmation page, then calls
    ``apply(object, staff_user, reason, **other_fields)`` for each selected object.

    An object the service refuses (an illegal transition, say) is reported as an error message;
    the others are still processed, each in the service's own transaction.
    """

    @admin.action(description=description, permissions=["change"])
    def action(
        model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]
    ) -> HttpResponse | None:
        form = form_class(request.POST if "confirm" in request.POST else None)
        if not form.is_valid():
            return _reason_page(model_admin, request, queryset, form, name, description)
        applied = 0
        for target in queryset:
            if not model_admin.has_change_permission(request, target):
                model_admin.message_user(request, f"{target}: not allowed.", messages.ERROR)
                continue
            fields = dict(form.cleaned_data)
            try:
                apply(target, request.user, fields.pop("reason"), **fields)
            except (ApplicationError, ValidationError) as error:
                model_admin.message_user(request, f"{target}: {_error_text(error)}", messages.ERROR)
            else:
                applied += 1
        model_admin.message_user(
            request,
            f"{done} {applied} {model_ngettext(model_admin.opts, applied)}.",
            messages.SUCCESS if applied else messages.WARNING,
        )
        return None

    action.__name__ = name
    return action


def _reason_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Any],
    form: ReasonForm,
    name: str,
    description: str,
) -> TemplateResponse:
    request.current_app = model_admin.admin_site.name
    context = {
        **model_admin.admin_site.each_context(request),
        "title": description,
        "opts": model_admin.opts,
        "objects_name": model_ngettext(queryset),
        "queryset": queryset,
        "form": form,
        "action_name": name,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": model_admin.media,
    }
    return TemplateResponse(request, "admin/shops/reason_action.html", context)


def _error_text(error: ApplicationError | ValidationError) -> str:
    if isinstance(error, ApplicationError):
        return error.message
    return " ".join(error.messages)


suspend_shops = reason_action(
    name="suspend_shops",
    description="Suspend shops",
    done="Suspended",
    apply=lambda shop, user, reason: shop_set_status(
        shop=shop, status=Shop.Status.SUSPENDED, actor=user, reason=reason
    ),
)
reactivate_shops = reason_action(
    name="reactivate_shops",
    description="Reactivate shops",
    done="Reactivated",
    apply=lambda shop, user, reason: shop_set_status(
        shop=shop, status=Shop.Status.ACTIVE, actor=user, reason=reason
    ),
)
close_shops = reason_action(
    name="close_shops",
    description="Close shops",
    done="Closed",
    apply=lambda shop, user, reason: shop_set_status(
        shop=shop, status=Shop.Status.CLOSED, actor=user, reason=reason
    ),
)
record_violations = reason_action(
    name="record_violations",
    description="Record a violation",
    done="Recorded a violation of",
    form_class=ViolationForm,
    apply=lambda shop, user, reason, points, rule: shop_violation_record(
        shop=shop, actor=user, points=points, rule=rule, evidence=reason
    ),
)
approve_verifications = reason_action(
    name="approve_verifications",
    description="Approve verification",
    done="Approved",
    apply=lambda verification, user, reason: shop_verification_review(
        verification=verification, reviewer=user, approve=True, reason=reason
    ),
)
reject_verifications = reason_action(
    name="reject_verifications",
    description="Reject verification",
    done="Rejected",
    apply=lambda verification, user, reason: shop_verification_review(
        verification=verification, reviewer=user, approve=False, reason=reason
    ),
)
take_down_listings = reason_action(
    name="take_down_listings",
    description="Take down listings",
    done="Took down",
    apply=lambda listing, user, reason: listing_take_down(
        listing=listing, actor=user, reason=reason
    ),
)


# --- Shared pieces ----------------------------------------------------------------------------


class ReadOnlyMixin:
    """No add, change or delete: the page shows what happened."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ChangedByActionsAdmin(admin.ModelAdmin):
    """Rows that change only through services: the change view shows ``fields`` read-only, the
    admin actions change them, and nobody adds or deletes them here."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields or ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        hidden_buttons = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), **hidden_buttons}
        )


class ReadOnlyTabularInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields or ()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _thumbnail(file: FieldFile | None, size: int = 120) -> str:
    if not file:
        return "—"
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" style="object-fit: cover">',
        file.url,
        size,
        size,
    )


class AuditEventInline(ReadOnlyTabularInline):
    """The audit trail, newest first."""

    model = ShopEvent
    verbose_name = "audit event"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ShopEvent]:
        return super().get_queryset(request).select_related("actor", "listing")


class ShopEventInline(AuditEventInline):
    """All events of a shop, its listings' included."""

    fields = ("created_at", "type", "actor", "listing", "data")


class ListingEventInline(AuditEventInline):
    fk_name = "listing"
    fields = ("created_at", "type", "actor", "data")


# --- Places and categories --------------------------------------------------------------------


@admin.register(Place)
class PlaceAdmin(TreeAdmin):
    form = movenodeform_factory(Place, fields=("name", "households"))
    list_display = ("name", "full_name", "households")
    search_fields = ("name", "full_name")

    def save_model(self, request: HttpRequest, obj: Place, form: Any, change: bool) -> None:
        """The move form has already added or moved the node; its full name (and its
        descendants') follow the new position."""
        super().save_model(request, obj, form, change)
        place_refresh_names(place=obj)

    def move_node(self, request: HttpRequest) -> HttpResponse:
        response = super().move_node(request)
        if response.status_code == 200:
            place_refresh_names(place=Place.objects.get(pk=request.POST["node"]))
        return response


@admin.register(Category)
class CategoryAdmin(TreeAdmin):
    form = movenodeform_factory(Category, fields=("name", "slug", "commission_rate"))
    list_display = ("name", "slug", "commission_rate")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ProtectedBrand)
class ProtectedBrandAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)


@admin.register(ProhibitedTerm)
class ProhibitedTermAdmin(admin.ModelAdmin):
    list_display = ("term", "reason", "created_at")
    search_fields = ("term", "reason")


# --- Shops and verification -------------------------------------------------------------------


@admin.register(Shop)
class ShopAdmin(ChangedByActionsAdmin):
    list_display = (
        "name",
        "slug",
        "owner",
        "province",
        "city",
        "status",
        "verification_status",
        "created_at",
    )
    list_filter = ("status", "province", "verification__status")
    list_select_related = ("owner", "verification")
    search_fields = ("name", "slug", "owner__username", "city", "county", "village")
    date_hierarchy = "created_at"
    fields = (
        "name",
        "slug",
        "owner",
        "status",
        "violation_points",
        "search_hidden_until",
        "verification_link",
        "place",
        "province",
        "city",
        "county",
        "village",
        "contact_phone",
        "contact_wechat",
        "description",
        "logo_preview",
        "created_at",
        "updated_at",
    )
    inlines = [ShopEventInline]
    actions = [suspend_shops, reactivate_shops, close_shops, record_violations]

    @admin.display(description="verification", ordering="verification__status")
    def verification_status(self, shop: Shop) -> str:
        verification = _verification_of(shop)
        return verification.get_status_display() if verification else "—"

    @admin.display(description="verification")
    def verification_link(self, shop: Shop) -> str:
        verification = _verification_of(shop)
        if verification is None:
            return "—"
        url = reverse(
            "admin:shops_shopverification_change",
            args=[verification.pk],
            current_app=self.admin_site.name,
        )
        return format_html('<a href="{}">{}</a>', url, verification.get_status_display())

    @admin.display(description="logo")
    def logo_preview(self, shop: Shop) -> str:
        return _thumbnail(shop.logo_thumbnail)


def _verification_of(shop: Shop) -> ShopVerification | None:
    try:
        return shop.verification
    except ShopVerification.DoesNotExist:
        return None


@admin.register(ShopVerification)
class ShopVerificationAdmin(ChangedByActionsAdmin):
    """Real-name verification. Lists show masked numbers; the change view shows everything,
    including the ID photo, which lives in private storage and is streamed by
    ``id_photo_view`` to staff who may change verifications."""

    list_display = (
        "shop",
        "status",
        "legal_name",
        "masked_id_number",
        "masked_bank_account",
        "submitted_at",
        "reviewed_by",
    )
    list_filter = ("status",)
    list_select_related = ("shop", "reviewed_by")
    search_fields = ("shop__name", "legal_name")
    fields = (
        "shop",
        "status",
        "legal_name",
        "id_number",
        "id_photo_preview",
        "bank_name",
        "bank_account_name",
        "bank_account_number",
        "rejection_reason",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
    )
    actions = [approve_verifications, reject_verifications]

    @admin.display(description="ID number")
    def masked_id_number(self, verification: ShopVerification) -> str:
        return verification.id_number_masked

    @admin.display(description="bank account")
    def masked_bank_account(self, verification: ShopVerification) -> str:
        return verification.bank_account_masked

    @admin.display(description="ID photo")
    def id_photo_preview(self, verification: ShopVerification) -> str:
        if not verification.id_photo:
            return "—"
        url = reverse(
            f"admin:{self._id_photo_url_name}",
            args=[verification.pk],
            current_app=self.admin_site.name,
        )
        return format_html(
            '<a href="{0}" target="_blank" rel="noopener">'
            '<img src="{0}" alt="ID photo" style="max-width: 480px; max-height: 480px"></a>',
            url,
        )

    @property
    def _id_photo_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_id_photo"

    def get_urls(self) -> list[URLPattern]:
        photo = path(
            "<path:object_id>/id-photo/",
            self.admin_site.admin_view(self.id_photo_view),
            name=self._id_photo_url_name,
        )
        return [photo, *super().get_urls()]

    def id_photo_view(self, request: HttpRequest, object_id: str) -> FileResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        verification = self.get_object(request, unquote(object_id))
        if verification is None or not verification.id_photo:
            raise Http404("No ID photo.")
        return FileResponse(verification.id_photo.open("rb"))


# --- Listings ---------------------------------------------------------------------------------


class TopLevelCategoryFilter(admin.SimpleListFilter):
    """A top-level category, with everything below it."""

    title = "category"
    parameter_name = "category"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(category.slug, category.name) for category in Category.objects.get_root_nodes()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.value():
            return queryset
        root = Category.objects.filter(slug=self.value(), depth=1).first()
        if root is None:
            return queryset.none()
        return queryset.filter(category__path__startswith=root.path)


class SKUInline(ReadOnlyTabularInline):
    model = SKU
    fields = ("label", "price", "stock", "is_active")

    def get_queryset(self, request: HttpRequest) -> QuerySet[SKU]:
        return super().get_queryset(request).select_related("listing")


class ListingImageInline(ReadOnlyTabularInline):
    model = ListingImage
    fields = ("preview", "position", "width", "height", "created_at")

    @admin.display(description="picture")
    def preview(self, image: ListingImage) -> str:
        return _thumbnail(image.thumbnail)


@admin.register(Listing)
class ListingAdmin(ChangedByActionsAdmin):
    list_display = (
        "title",
        "shop",
        "category",
        "status",
        "price_min",
        "price_max",
        "total_stock",
        "published_at",
    )
    list_filter = ("status", "shipping_method", TopLevelCategoryFilter, "shop__province")
    list_select_related = ("shop", "category")
    search_fields = ("title", "shop__name", "public_id")
    fields = (
        "title",
        "public_id",
        "shop",
        "category",
        "status",
        "status_reason",
        "shipping_method",
        "shipping_fee",
        "price_min",
        "price_max",
        "total_stock",
        "variant_attributes",
        "description",
        "created_at",
        "updated_at",
        "published_at",
    )
    inlines = [ListingImageInline, SKUInline, ListingEventInline]
    actions = [take_down_listings]
