"""The seller's order pages, under /seller/ beside the shops' seller centre."""

from django.urls import path

from escrow.web import payouts, refunds, sandbox, views

app_name = "seller_orders"

urlpatterns = [
    path("orders/", views.order_list, name="order_list"),
    path("orders/<uuid:public_id>/", views.order_detail, name="order_detail"),
    path("orders/<uuid:public_id>/ship/", views.order_ship, name="order_ship"),
    path("orders/<uuid:public_id>/extend/", refunds.order_extend, name="order_extend"),
    path("refunds/", refunds.refund_list, name="refund_list"),
    path("refunds/<uuid:public_id>/", refunds.refund_detail, name="refund_detail"),
    path("refunds/<uuid:public_id>/agree/", refunds.refund_agree, name="refund_agree"),
    path("refunds/<uuid:public_id>/refuse/", refunds.refund_refuse, name="refund_refuse"),
    path(
        "refunds/<uuid:public_id>/confirm-return/",
        refunds.refund_confirm_return,
        name="refund_confirm_return",
    ),
    path("balance/", views.balance, name="balance"),
    path("payouts/", payouts.payout_page, name="payouts"),
    path("payouts/bank-check/", payouts.bank_check_start, name="bank_check_start"),
    path("payouts/bank-check/confirm/", payouts.bank_check_confirm, name="bank_check_confirm"),
    path("payouts/withdraw/", payouts.payout_create, name="payout_create"),
    path("sandbox/bank/<slug:reference>/", sandbox.bank_statement, name="sandbox_bank_statement"),
]
