from django.apps import AppConfig


class EscrowConfig(AppConfig):
    name = "escrow"
    verbose_name = "Orders, escrow payments, refunds, disputes and the ledger"
