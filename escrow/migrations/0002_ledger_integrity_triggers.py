"""Database-enforced ledger integrity.

The services already post only balanced transactions; these triggers make PostgreSQL refuse any
other, whatever code writes: a deferred constraint trigger checks at commit that the entries of
each touched transaction sum to zero (deferred, so a transaction's entries can be inserted one by
one), and entries and transactions can be neither updated nor deleted (append-only; a correction
is a new transaction). TRUNCATE, used only by the test suite to empty tables, is not affected.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION escrow_ledger_transaction_balances() RETURNS trigger AS $$
DECLARE
    total numeric;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO total
      FROM escrow_ledgerentry WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (sum %)', NEW.transaction_id, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER escrow_ledgerentry_balanced
    AFTER INSERT ON escrow_ledgerentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION escrow_ledger_transaction_balances();

CREATE FUNCTION escrow_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER escrow_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON escrow_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION escrow_ledger_append_only();

CREATE TRIGGER escrow_ledgertransaction_append_only
    BEFORE UPDATE OR DELETE ON escrow_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION escrow_ledger_append_only();
"""

REVERSE = """
DROP TRIGGER escrow_ledgertransaction_append_only ON escrow_ledgertransaction;
DROP TRIGGER escrow_ledgerentry_append_only ON escrow_ledgerentry;
DROP FUNCTION escrow_ledger_append_only();
DROP TRIGGER escrow_ledgerentry_balanced ON escrow_ledgerentry;
DROP FUNCTION escrow_ledger_transaction_balances();
"""


class Migration(migrations.Migration):
    dependencies = [("escrow", "0001_orders_payments_ledger")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
