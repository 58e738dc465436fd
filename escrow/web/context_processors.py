"""What every seller-centre page shows from escrow: the count beside "Refunds" in the menu."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from escrow.web.views import refunds_waiting
from shops.selectors import shop_get_for_owner


def seller_menu(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """A callable, so templates count only on pages that show the menu."""

    def waiting() -> int:
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        shop = shop_get_for_owner(user=user)
        return refunds_waiting(shop) if shop else 0

    return {"refunds_waiting": waiting}
