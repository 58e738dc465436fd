"""Rating a completed order, publishing double-blind, replies, revisions and staff removal.

Each step locks the order first (so the two sides' ratings and the window's end are decided one
at a time) and the buyer–seller pair (so the pair's orders are counted one at a time), then goes
through ``ratings_recount`` for the figures.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from escrow.models import Order
from marketplace.accounts.models import User
from marketplace.db import fetch_prepared, raw_prepared
from marketplace.exceptions import InvalidTransition, NotFoundError, PermissionDeniedError
from ratings.conf import ratings_setting
from ratings.exceptions import AlreadyRated, NotRateable, RatingWindowClosed
from ratings.models import Rating
from ratings.services.figures import (
    order_pairs_select_for_update,
    pair_lock_sql,
    pair_select_for_update,
    ratings_recount,
    ratings_recount_together,
)
from shops.models import Category

Role, Value, Status = Rating.Role, Rating.Value, Rating.Status
DSR_ITEMS = ("dsr_described", "dsr_attitude", "dsr_shipping")


@dataclass(frozen=True)
class DSR:
    described: int
    attitude: int
    shipping: int


# Plain SQL, prepared: every rating and every window's end starts here, and planning the ORM's
# equivalent cost more than running it. The order's row is locked in the subquery, before the
# pair's lock is taken (the lock order); the shop's owner and the first line's facts come from
# the statement's snapshot, which is enough: they never change once an order is completed.
LOCK_ORDER_SQL = f"""
    SELECT o.id, o.buyer_id, o.shop_id, o.status, o.goods_total, o.created_at, o.completed_at,
           shop.owner_id AS shop_owner_id,
           (SELECT json_build_object(
                       'listing_id', line.listing_id,
                       'title', line.title,
                       'category_id', (SELECT root.id FROM shops_category root
                                        WHERE root.path = substr(category.path, 1, %s)
                                        LIMIT 1))
              FROM escrow_orderline line
              JOIN shops_listing listing ON listing.id = line.listing_id
              JOIN shops_category category ON category.id = listing.category_id
             WHERE line.order_id = o.id
             ORDER BY line.id
             LIMIT 1) AS line_facts,
           {pair_lock_sql("o.buyer_id", "o.shop_id")} AS pair_locked
      FROM (SELECT * FROM escrow_order WHERE id = %s FOR UPDATE) o
      JOIN shops_shop shop ON shop.id = o.shop_id
"""  # noqa: S608 (no input in the text)
LOCK_ORDER_AND_PAIR_SQL = f"""
    SELECT {pair_lock_sql("o.buyer_id", "o.shop_id")}
      FROM (SELECT buyer_id, shop_id FROM escrow_order WHERE id = %s FOR UPDATE) o
"""  # noqa: S608 (no input in the text)


def _lock_order(order: Order) -> Order:
    """The order, locked, with its shop's owner (``shop_owner_id``) and what a rating copies of
    its first line (``_facts_from``), then the pair's lock, in one statement."""
    for locked in raw_prepared(
        Order, "ratings_lock_order", LOCK_ORDER_SQL, [Category.steplen, order.pk]
    ):
        return locked
    raise Order.DoesNotExist(f"No order {order.pk}.")


def _role_of(order: Order, user: User) -> str:
    if user.pk == order.buyer_id:
        return Role.BY_BUYER
    if user.pk == order.shop_owner_id:  # type: ignore[attr-defined]
        return Role.BY_SELLER
    raise NotFoundError("There is no such order of yours.", code="order_not_found")


def _facts_from(order: Order) -> dict[str, object]:
    """What a rating copies of its order (the counting rules read these), as ``_lock_order``
    read them."""
    assert order.completed_at is not None
    line = order.line_facts  # type: ignore[attr-defined]
    return {
        "order": order,
        "buyer_id": order.buyer_id,
        "shop_id": order.shop_id,
        "listing_id": line["listing_id"],
        "item_title": line["title"],
        "category_id": line["category_id"],
        "order_created_at": order.created_at,
        "goods_total": order.goods_total,
        "window_ends_at": order.completed_at + ratings_setting("RATING_WINDOW"),
    }


def _check(role: str, value: int, comment: str, dsr: DSR | None) -> None:
    errors: dict[str, list[str]] = {}
    if value not in Value.values:
        errors["value"] = ["Rate good, neutral or bad."]
    if len(comment) > ratings_setting("COMMENT_LENGTH"):
        errors["comment"] = [f"At most {ratings_setting('COMMENT_LENGTH')} characters."]
    if role == Role.BY_BUYER:
        if dsr is None:
            errors["dsr"] = ["Score the item, the service and the shipping from 1 to 5."]
        else:
            for name, score in zip(
                DSR_ITEMS, (dsr.described, dsr.attitude, dsr.shipping), strict=True
            ):
                if not 1 <= score <= 5:
                    errors[name] = ["From 1 to 5."]
    elif dsr is not None:
        errors["dsr"] = ["Only buyers score the seller's service."]
    if errors:
        raise ValidationError(errors)


def _publish(target: Rating) -> list[str]:
    target.status, target.published_at = Status.PUBLISHED, timezone.now()
    return ["status", "published_at"]


def _publish_all(ratings: list[Rating], locked: list[Rating] | None = None) -> list[Rating]:
    """Publish ratings of one order together, the buyer's first (new ones are inserted)."""
    ordered = sorted(ratings, key=_buyers_first)
    return ratings_recount_together(
        changes=[(rating, _publish) for rating in ordered], locked=locked
    )


@transaction.atomic(durable=True)
def rating_submit(
    *, order: Order, rater: User, value: int, comment: str = "", dsr: DSR | None = None
) -> Rating:
    """Rate the other side of a completed order, once, within the rating window. Published at
    once if the other side has rated too; otherwise hidden until it does or the window ends."""
    order = _lock_order(order)
    role = _role_of(order, rater)
    if order.status != Order.Status.COMPLETED or order.completed_at is None:
        raise NotRateable(
            "Only completed orders can be rated: the buyer paid and confirmed receipt.",
            extra={"status": order.status},
        )
    comment = comment.strip()
    _check(role, value, comment, dsr)
    now = timezone.now()
    if now > order.completed_at + ratings_setting("RATING_WINDOW"):
        raise RatingWindowClosed("The time to rate this order has ended.")
    locked = order_pairs_select_for_update(
        order_id=order.pk, role=role, buyer_id=order.buyer_id, shop_id=order.shop_id
    )
    rated = [r for r in locked if r.order_id == order.pk]
    if any(r.role == role for r in rated):
        raise AlreadyRated("You have already rated this order.")
    rating = Rating(
        **_facts_from(order),
        role=role,
        rater=rater,
        value=value,
        comment=comment,
        dsr_described=dsr.described if dsr else None,
        dsr_attitude=dsr.attitude if dsr else None,
        dsr_shipping=dsr.shipping if dsr else None,
        rated_at=now,
    )
    other = next((r for r in rated if r.status == Status.PENDING), None)
    if other is None:  # hidden until the other side rates or the window ends
        rating.save(force_insert=True)
        return rating
    # Both sides have rated: both are published, the buyer's first, with the pairs locked above;
    # the new rating is counted with its pair before it is inserted.
    published = _publish_all([rating, other], locked=locked)
    return next(r for r in published if r.role == role)


def _buyers_first(rating: Rating) -> bool:
    return rating.role != Role.BY_BUYER


@transaction.atomic(durable=True)
def rating_window_close(*, order: Order) -> list[Rating]:
    """The rating window of ``order`` ended (the sweep): publish what was rated and, where one
    side rated the other good and the other side said nothing, record a default good rating for
    the side that rated. Does nothing before the window ends or when nothing is pending."""
    order = _lock_order(order)
    rated = list(Rating.objects.filter(order=order))
    pending = [r for r in rated if r.status == Status.PENDING]
    if not pending or pending[0].window_ends_at > timezone.now():
        return []
    rated_roles = {r.role for r in rated}
    defaults = [  # counted with their pairs, then inserted (``ratings_recount_together``)
        Rating(
            **_facts_from(order),
            role=Role.BY_SELLER if rating.role == Role.BY_BUYER else Role.BY_BUYER,
            rater=None,
            value=Value.GOOD,
            is_default=True,
            rated_at=rating.window_ends_at,
        )
        for rating in pending
        if rating.value == Value.GOOD and rated_roles == {rating.role}
    ]
    return _publish_all([*pending, *defaults])


def _locked_rating(rating: Rating) -> Rating:
    Order.objects.select_for_update().filter(pk=rating.order_id).values_list("pk").get()
    return Rating.objects.select_for_update().get(pk=rating.pk)


def _locked_with_pair(rating: Rating) -> tuple[Rating, list[Rating]]:
    """The rating as stored and its pair (``ratings_recount``), locked after the order and the
    pair's lock. The pair is found by what the rating copied from its order, which never
    changes."""
    fetch_prepared("ratings_lock_order_and_pair", LOCK_ORDER_AND_PAIR_SQL, [rating.order_id])
    pair = pair_select_for_update(rating)
    return next(r for r in pair if r.pk == rating.pk), pair


@transaction.atomic(durable=True)
def rating_reply(*, rating: Rating, user: User, text: str) -> Rating:
    """The rated side answers a published rating, once, in public."""
    text = text.strip()
    if not text or len(text) > ratings_setting("COMMENT_LENGTH"):
        raise ValidationError(
            {"text": [f"Write 1 to {ratings_setting('COMMENT_LENGTH')} characters."]}
        )
    rating = _locked_rating(rating)
    rated_user_id = rating.shop.owner_id if rating.role == Role.BY_BUYER else rating.buyer_id
    if user.pk != rated_user_id:
        raise PermissionDeniedError("Only the rated side may reply.", code="not_rated_side")
    if rating.status != Status.PUBLISHED:
        raise InvalidTransition(
            "Only a published rating can be answered.", extra={"status": rating.status}
        )
    if rating.replied_at is not None:
        if rating.reply == text:
            return rating
        raise InvalidTransition("You have already replied to this rating.", code="already_replied")
    rating.reply, rating.replied_at = text, timezone.now()
    rating.save(update_fields=["reply", "replied_at"])
    return rating


@transaction.atomic(durable=True)
def rating_revise(*, rating: Rating, rater: User, delete: bool = False) -> Rating:
    """Within ``REVISION_WINDOW`` of rating, the rater may once turn a neutral or bad rating
    into a good one, or delete it."""
    rating, pair = _locked_with_pair(rating)
    if rating.rater_id != rater.pk:
        raise NotFoundError("There is no such rating of yours.", code="rating_not_found")
    if rating.revised_at is not None:
        raise InvalidTransition("A rating can be changed only once.", code="already_revised")
    if rating.value == Value.GOOD or rating.status not in (Status.PENDING, Status.PUBLISHED):
        raise InvalidTransition(
            "Only a neutral or bad rating can be changed.", extra={"status": rating.status}
        )
    if timezone.now() > rating.rated_at + ratings_setting("REVISION_WINDOW"):
        raise RatingWindowClosed("The time to change this rating has ended.")

    def revise(target: Rating) -> list[str]:
        target.original_value, target.revised_at = target.value, timezone.now()
        if delete:
            target.status = Status.DELETED
        else:
            target.value = Value.GOOD
        return ["original_value", "revised_at", "status", "value"]

    return ratings_recount(rating=rating, change=revise, pair=pair)


@transaction.atomic(durable=True)
def rating_remove(*, rating: Rating, staff: User, reason: str) -> Rating:
    """Staff take a rating down (fraud, abuse): it stops counting and the figures follow."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the rating is removed."]})
    rating, pair = _locked_with_pair(rating)
    if rating.status == Status.REMOVED:
        return rating

    def remove(target: Rating) -> list[str]:
        target.status, target.removed_reason = Status.REMOVED, reason[:500]
        target.removed_by, target.removed_at = staff, timezone.now()
        return ["status", "removed_reason", "removed_by", "removed_at"]

    return ratings_recount(rating=rating, change=remove, pair=pair)


def ratings_sweep(*, limit: int | None = None) -> int:
    """Close the rating windows that have ended (the Celery sweep): one order per transaction,
    safe to run twice or side by side. Returns how many orders were closed."""
    due = (
        Rating.objects.filter(status=Status.PENDING, window_ends_at__lte=timezone.now())
        .order_by("window_ends_at")
        .values_list("order_id", flat=True)
        .distinct()
    )
    order_ids = list(dict.fromkeys(due[: limit or ratings_setting("SWEEP_BATCH")]))
    for order_id in order_ids:
        rating_window_close(order=Order(pk=order_id))
    return len(order_ids)
