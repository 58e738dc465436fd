"""Staff views of orders, payments and the ledger. Everything here is read-only: money and
order states change only through the services (and, for staff decisions, through admin
actions that call them), so the audit trail and the ledger stay whole."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from escrow.models import (
    BankAccountCheck,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    Payout,
    SandboxCharge,
    WebhookEvent,
)
from escrow.services.payouts import bank_check_unlock
from shops.admin import ChangedByActionsAdmin, reason_action
from shops.models import mask


class ReadOnlyMixin:
    """No add, change or delete: the page shows what happened."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OrderLineInline(ReadOnlyMixin, admin.TabularInline):
    model = OrderLine
    fields = ("title", "sku_label", "unit_price", "quantity", "line_total", "commission_rate")
    readonly_fields = fields
    extra = 0


class OrderEventInline(ReadOnlyMixin, admin.TabularInline):
    model = OrderEvent
    fields = ("created_at", "type", "actor", "data")
    readonly_fields = fields
    extra = 0


class LedgerTransactionInline(ReadOnlyMixin, admin.TabularInline):
    model = LedgerTransaction
    fields = ("created_at", "kind", "description", "payment")
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Order)
class OrderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("public_id", "buyer", "shop", "status", "total", "created_at", "paid_at")
    list_filter = ("status", "shipping_method", "created_at")
    search_fields = ("public_id", "buyer__username", "shop__name", "tracking_number")
    list_select_related = ("buyer", "shop")
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, OrderEventInline, LedgerTransactionInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("public_id", "buyer", "provider", "provider_reference", "amount", "status")
    list_filter = ("status", "provider", "created_at")
    search_fields = ("public_id", "provider_reference", "buyer__username")
    list_select_related = ("buyer",)
    readonly_fields = ("orders",)


class LedgerEntryInline(ReadOnlyMixin, admin.TabularInline):
    model = LedgerEntry
    fields = ("account", "amount")
    readonly_fields = fields
    extra = 0


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "created_at", "kind", "description", "order")
    list_filter = ("kind", "created_at")
    search_fields = ("description", "order__public_id")
    list_select_related = ("order",)
    date_hierarchy = "created_at"
    inlines = [LedgerEntryInline]


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "kind", "shop", "order", "balance")
    list_filter = ("kind",)
    search_fields = ("shop__name", "order__public_id")
    list_select_related = ("shop", "order")


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("received_at", "provider", "event_id", "type")
    list_filter = ("provider", "type")
    search_fields = ("event_id",)


@admin.register(SandboxCharge)
class SandboxChargeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("reference", "amount_minor", "currency", "status", "refunded_minor")
    list_filter = ("status",)
    search_fields = ("reference",)


# --- Payouts and bank checks (finance) --------------------------------------------------------


@admin.register(Payout)
class PayoutAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "public_id",
        "shop",
        "amount",
        "status",
        "bank_account_masked",
        "created_at",
        "settled_at",
        "failure_reason",
    )
    list_filter = ("status", "provider", "created_at")
    search_fields = ("shop__name", "public_id", "provider_reference")
    list_select_related = ("shop",)
    date_hierarchy = "created_at"


unlock_bank_checks = reason_action(
    name="unlock_bank_checks",
    description="Unlock bank checks (the seller may try again)",
    done="Unlocked",
    apply=lambda check, user, reason: bank_check_unlock(check=check, staff=user, reason=reason),
)


@admin.register(BankAccountCheck)
class BankAccountCheckAdmin(ChangedByActionsAdmin):
    """Micro-deposit checks of payout accounts. The amounts sent are not shown: only the seller
    should know them. Finance staff (``escrow.change_bankaccountcheck``) unlock a locked check
    after talking to the seller, saying why on the shop's audit trail."""

    list_display = (
        "shop",
        "status",
        "masked_account",
        "failed_attempts",
        "sent_at",
        "confirmed_at",
    )
    list_filter = ("status",)
    list_select_related = ("shop",)
    search_fields = ("shop__name",)
    fields = (
        "shop",
        "status",
        "masked_account",
        "failed_attempts",
        "provider",
        "sent_at",
        "confirmed_at",
    )
    actions = [unlock_bank_checks]

    @admin.display(description="bank account")
    def masked_account(self, check: BankAccountCheck) -> str:
        return mask(check.account_number, keep_start=0, keep_end=4)
