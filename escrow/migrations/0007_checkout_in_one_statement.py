"""Checkout's writes as one database function, called in one statement and committed once; the
claim of an ``Idempotency-Key`` as another, which checkout calls in the same transaction.

Checkout is the hottest path of the marketplace. Each statement it sent cost a round trip and a
plan, and each of its three commits (the key's claim, the orders, the stored response) a flush of
the write-ahead log, the slowest step of all on a busy disk.

``escrow_idempotency_claim`` holds the rules of ``escrow.services.idempotency`` (Stripe's): a key
seen before replays its stored response; with a different request, ``reused``; while its first
request is still running, ``in_progress``; past its time to live, the key is free again. A
transaction-level advisory lock on (user, key) makes a concurrent duplicate ``in_progress`` at
once, whether the first request's claim is committed on its own or is part of a checkout.

``escrow_checkout_place``: ``escrow.services.orders`` decides everything that needs Python (which
SKUs can be bought, totals, snapshots, shipping), takes the new rows' ids from their sequences,
renders the response, and hands this function the rows. The function does what must happen in one
transaction: the key's claim (when given; if the key was used before, it returns the claim and
writes nothing), the buyer's lock, the unpaid-order limits (DOMAIN §4), the checkout with its
orders, lines and "placed" events, the cart lines bought, stock (``shops_stock_reserve``, in the
caller's listing-then-SKU order) and, last, the key's stored response. The hot SKU's row lock is
held only until the commit that follows.

A refusal raises with its own SQLSTATE, which rolls back everything, the key's claim included:
``MK001`` too many unpaid orders, ``MK002`` too many unpaid units of the SKU in DETAIL, ``MK003``
too little stock of the SKU in DETAIL.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION escrow_idempotency_claim(
    p_user bigint, p_key text, p_fingerprint text, p_now timestamptz, p_ttl interval
) RETURNS TABLE (outcome text, record_id bigint, response_status smallint, response_body jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    existing escrow_idempotencyrecord%ROWTYPE;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtextextended(p_user::text || ':' || p_key, 0)) THEN
        RETURN QUERY SELECT 'in_progress', NULL::bigint, NULL::smallint, NULL::jsonb;
        RETURN;
    END IF;
    SELECT * INTO existing FROM escrow_idempotencyrecord r
     WHERE r.user_id = p_user AND r.key = p_key;
    IF FOUND AND existing.created_at < p_now - p_ttl THEN
        DELETE FROM escrow_idempotencyrecord r WHERE r.id = existing.id;
    ELSIF FOUND THEN
        RETURN QUERY SELECT CASE WHEN existing.request_hash <> p_fingerprint THEN 'reused'
                                 WHEN NOT existing.is_complete THEN 'in_progress'
                                 ELSE 'replay' END,
                            existing.id, existing.response_status, existing.response_body;
        RETURN;
    END IF;
    RETURN QUERY
    INSERT INTO escrow_idempotencyrecord (user_id, key, request_hash, is_complete, created_at)
    VALUES (p_user, p_key, p_fingerprint, false, p_now)
    RETURNING 'claimed', escrow_idempotencyrecord.id, NULL::smallint, NULL::jsonb;
END;
$$;

CREATE FUNCTION escrow_checkout_place(
    p_checkout jsonb, p_orders jsonb, p_lines jsonb, p_events jsonb, p_cart_skus bigint[],
    p_max_orders integer, p_max_units integer,
    p_key text, p_fingerprint text, p_key_ttl interval, p_response_status smallint,
    p_response_body jsonb
) RETURNS jsonb
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    buyer bigint := (p_checkout->>'buyer_id')::bigint;
    placed_at timestamptz := (p_checkout->>'created_at')::timestamptz;
    claimed record;
    unpaid integer;
    over_sku bigint;
    line record;
BEGIN
    IF p_key IS NOT NULL THEN
        SELECT * INTO claimed
          FROM escrow_idempotency_claim(buyer, p_key, p_fingerprint, placed_at, p_key_ttl) c;
        IF claimed.outcome <> 'claimed' THEN
            RETURN to_jsonb(claimed);
        END IF;
    END IF;

    -- One checkout per buyer at a time, so the limits hold (NO KEY: rows that merely point at
    -- the user, such as cart lines, can still be written meanwhile).
    PERFORM 1 FROM accounts_user u WHERE u.id = buyer FOR NO KEY UPDATE;

    -- The buyer's unpaid orders and their lines, reached by order, never by SKU: a popular SKU's
    -- sales grow faster than the planner's statistics follow them.
    SELECT count(*) INTO unpaid FROM escrow_order o
     WHERE o.buyer_id = buyer AND o.status = 'awaiting_payment';
    IF unpaid + jsonb_array_length(p_orders) > p_max_orders THEN
        RAISE EXCEPTION 'too many unpaid orders' USING ERRCODE = 'MK001';
    END IF;
    SELECT wanted.sku_id INTO over_sku
      FROM (SELECT l.sku_id, sum(l.quantity) AS quantity
              FROM jsonb_to_recordset(p_lines) AS l(sku_id bigint, quantity integer)
             GROUP BY l.sku_id) wanted
      LEFT JOIN (SELECT l.sku_id, sum(l.quantity) AS quantity
                   FROM escrow_order o JOIN escrow_orderline l ON l.order_id = o.id
                  WHERE o.buyer_id = buyer AND o.status = 'awaiting_payment'
                  GROUP BY l.sku_id) held ON held.sku_id = wanted.sku_id
     WHERE wanted.quantity + coalesce(held.quantity, 0) > p_max_units
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'too many unpaid units' USING ERRCODE = 'MK002', DETAIL = over_sku;
    END IF;

    -- The rows come whole, every column named as in the table.
    INSERT INTO escrow_checkout
    SELECT * FROM jsonb_populate_record(NULL::escrow_checkout, p_checkout);
    INSERT INTO escrow_order SELECT * FROM jsonb_populate_recordset(NULL::escrow_order, p_orders);
    INSERT INTO escrow_orderline
    SELECT * FROM jsonb_populate_recordset(NULL::escrow_orderline, p_lines);
    INSERT INTO escrow_orderevent
    SELECT * FROM jsonb_populate_recordset(NULL::escrow_orderevent, p_events);

    IF cardinality(p_cart_skus) > 0 THEN
        DELETE FROM escrow_cartitem c WHERE c.buyer_id = buyer AND c.sku_id = ANY(p_cart_skus);
    END IF;

    FOR line IN
        SELECT (l.element->>'listing_id')::bigint AS listing_id,
               (l.element->>'sku_id')::bigint AS sku_id,
               (l.element->>'quantity')::integer AS quantity
          FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS l(element, position)
         ORDER BY l.position
    LOOP
        IF NOT shops_stock_reserve(line.listing_id, line.sku_id, line.quantity) THEN
            RAISE EXCEPTION 'too little stock' USING ERRCODE = 'MK003', DETAIL = line.sku_id;
        END IF;
    END LOOP;

    IF p_key IS NOT NULL THEN
        UPDATE escrow_idempotencyrecord r
           SET is_complete = true, response_status = p_response_status,
               response_body = p_response_body
         WHERE r.id = claimed.record_id;
        RETURN to_jsonb(claimed);
    END IF;
    RETURN NULL;
END;
$$;
"""

REVERSE = """
DROP FUNCTION escrow_checkout_place(
    jsonb, jsonb, jsonb, jsonb, bigint[], integer, integer, text, text, interval, smallint, jsonb);
DROP FUNCTION escrow_idempotency_claim(bigint, text, text, timestamptz, interval);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("escrow", "0006_order_indexes_for_checkout"),
        ("shops", "0004_stock_reserve_function"),
    ]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
