"""Staff views of orders, payments and the ledger. Everything here is read-only: money and
order states change only through the services (and, for staff decisions, through admin
actions that call them), so the audit trail and the ledger stay whole."""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from escrow.models import (
    BankAccountCheck,
    Dispute,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    Payout,
    Refund,
    SandboxCharge,
    WebhookEvent,
)
from escrow.selectors import escrow_held
from escrow.services.payouts import bank_check_unlock
from escrow.services.refunds import dispute_decide
from escrow.web.forms import add_service_errors
from marketplace.accounts.models import User
from marketplace.exceptions import ApplicationError
from marketplace.money import format_money
from shops.admin import ChangedByActionsAdmin, ReadOnlyMixin, reason_action
from shops.models import mask


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


# --- Refunds and disputes (moderators) --------------------------------------------------------


@admin.register(Refund)
class RefundAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("public_id", "order", "status", "reason", "amount", "with_return", "deadline")
    list_filter = ("status", "reason", "with_return", "created_at")
    search_fields = ("public_id", "order__public_id", "order__buyer__username", "order__shop__name")
    list_select_related = ("order",)
    date_hierarchy = "created_at"


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=Dispute.Decision.choices, widget=forms.RadioSelect)
    amount = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="Only for a partial refund: what goes back to the buyer.",
    )
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text="Shown to buyer and seller on the order's timeline.",
    )


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "decided"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", "Waiting for a decision"), ("yes", "Decided")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Dispute]) -> QuerySet[Dispute]:
        if self.value() == "no":
            return queryset.filter(decision="")
        if self.value() == "yes":
            return queryset.exclude(decision="")
        return queryset


@admin.register(Dispute)
class DisputeAdmin(ChangedByActionsAdmin):
    """Escalated refund requests. The evidence is the order's timeline (shown on the decision
    page); moderators (``escrow.change_dispute``) decide with a reason, through
    ``dispute_decide``."""

    list_display = ("refund", "order", "amount_asked", "opened_at", "decision", "decide_link")
    list_filter = (OpenFilter, "decision", "opened_at")
    search_fields = ("refund__order__public_id", "refund__order__shop__name")
    list_select_related = ("refund__order",)
    fields = (
        "refund",
        "order",
        "amount_asked",
        "statement",
        "opened_at",
        "decision",
        "refunded_amount",
        "decision_reason",
        "decided_by",
        "decided_at",
    )

    @admin.display(description="order")
    def order(self, dispute: Dispute) -> str:
        return str(dispute.refund.order.public_id)

    @admin.display(description="asked for")
    def amount_asked(self, dispute: Dispute) -> str:
        return format_money(dispute.refund.amount)

    @admin.display(description="")
    def decide_link(self, dispute: Dispute) -> str:
        if dispute.is_decided:
            return "—"
        url = reverse("admin:escrow_dispute_decide", args=[dispute.pk])
        return format_html('<a class="button" href="{}">Decide</a>', url)

    def get_urls(self) -> list[URLPattern]:
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:pk>/decide/", decide, name="escrow_dispute_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        dispute = get_object_or_404(Dispute.objects.select_related("refund__order__shop"), pk=pk)
        if not self.has_change_permission(request, dispute):
            raise PermissionDenied
        form = DecideForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                dispute_decide(
                    dispute=dispute,
                    staff=cast(User, request.user),
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    amount=form.cleaned_data["amount"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, f"{dispute}: decided.", messages.SUCCESS)
                return redirect("admin:escrow_dispute_changelist")
        order = dispute.refund.order
        context = {
            **self.admin_site.each_context(request),
            "title": f"Decide the dispute over order {order.public_id}",
            "opts": self.opts,
            "dispute": dispute,
            "order": order,
            "held": escrow_held(order),
            "events": order.events.select_related("actor").order_by("created_at", "pk"),
            "form": form,
        }
        return TemplateResponse(request, "admin/escrow/dispute/decide.html", context)
