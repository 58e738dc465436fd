"""The staff groups of DOMAIN §1 and what each may do in admin.

``moderators`` look after shops, listings, verification, disputes and ratings; ``finance``
after the ledger, payments and payouts. Permissions are named as ``app_label.codename``
strings, so this module depends on no app. ``manage.py sync_staff_groups`` (run by ``make run``
and on deploy) makes the groups match this table.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

STAFF_GROUPS: dict[str, list[str]] = {
    "moderators": [
        "shops.view_shop",
        "shops.change_shop",
        "shops.view_listing",
        "shops.change_listing",
        "shops.view_shopverification",
        "shops.change_shopverification",
        "shops.view_shopevent",
        "shops.view_category",
        "shops.view_place",
        "shops.view_protectedbrand",
        "shops.add_protectedbrand",
        "shops.change_protectedbrand",
        "shops.view_prohibitedterm",
        "shops.add_prohibitedterm",
        "shops.change_prohibitedterm",
        "escrow.view_order",
        "escrow.view_refund",
        "escrow.view_dispute",
        "escrow.change_dispute",
        "ratings.view_rating",
        "ratings.change_rating",
        "ratings.view_sellercredit",
        "ratings.view_buyercredit",
    ],
    "finance": [
        "escrow.view_order",
        "escrow.view_payment",
        "escrow.view_webhookevent",
        "escrow.view_ledgeraccount",
        "escrow.view_ledgertransaction",
        "escrow.view_ledgerentry",
        "escrow.view_payout",
        "escrow.view_bankaccountcheck",
        "escrow.change_bankaccountcheck",
        "escrow.view_refund",
        "escrow.view_dispute",
    ],
}


@transaction.atomic
def staff_groups_sync() -> dict[str, int]:
    """Create or update each group with exactly its permissions; returns how many each has."""
    counts = {}
    for name, names in STAFF_GROUPS.items():
        wanted = Q()
        for dotted in names:
            app_label, codename = dotted.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.filter(wanted))
        missing = set(names) - {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        if missing:
            raise LookupError(f"Unknown permissions for {name}: {sorted(missing)}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        counts[name] = len(permissions)
    return counts
