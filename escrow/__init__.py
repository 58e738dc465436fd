"""Orders, escrow payments, refunds, disputes and the ledger."""
