"""Demo payouts for ``seed_demo``, to run after ``escrow.demo`` has given the demo shops money.

The first three demo shops with money available get approved real-name verification, a
confirmed bank account and one payout of part of their balance. The first two are paid; the
third shop's account ends in ``0002``, which the sandbox treats as closed, so its payout fails
and the money returns to its available balance.

Everything goes through the services sellers, staff and the payment provider use:
``shop_verification_submit`` and ``shop_verification_review`` (by ``demo_finance``, a staff
account that cannot log in), ``bank_check_start`` and ``bank_check_confirm`` (with the amounts
read from the sandbox's statement), ``payout_request``, and the sandbox's signed outcome through
``webhook_receive``. Once any demo shop has a payout the step does nothing, so running
``seed_demo`` again adds nothing. The services own their transactions, so the step is marked
``owns_transactions``.
"""

import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from io import BytesIO

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from escrow.conf import escrow_setting
from escrow.models import BankAccountCheck, Payout, SandboxTransfer
from escrow.providers.sandbox import SIGNATURE_HEADER, sandbox_payout_outcome, sign
from escrow.selectors import shop_balances
from escrow.services.payments import webhook_receive
from escrow.services.payouts import bank_check_confirm, bank_check_start, payout_request
from marketplace.accounts.models import User
from marketplace.money import from_minor_units, to_money
from shops.demo.data import SHOPS
from shops.models import Shop, ShopVerification
from shops.services.shops import shop_verification_review, shop_verification_submit

REVIEWER = "demo_finance"
PAYOUT_SHARE = Decimal("0.6")  # of the available balance
# The account holder of the n-th demo shop with money: legal name, ID card number, bank, account.
HOLDERS = [
    ("刘建华", "330782198503150017", "中国农业银行", "6228480402564890011"),
    ("王秀英", "330185197911020026", "中国建设银行", "6217000010012345678"),
    ("陈志强", "612501198807230035", "中国邮政储蓄银行", "6210984310000000002"),
]


def steps() -> list[tuple[str, Callable[[], None]]]:
    step = partial(pay_out_demo_shops)
    step.owns_transactions = True  # type: ignore[attr-defined]
    return [("payouts of demo shops", step)]


def pay_out_demo_shops() -> None:
    sellers = [spec.username for spec in SHOPS]
    shops = Shop.objects.filter(owner__username__in=sellers).select_related("owner")
    if Payout.objects.filter(shop__in=shops).exists():
        return
    minimum = escrow_setting("MIN_PAYOUT")
    with_money = sorted(
        (
            shop
            for shop in shops
            if to_money(shop_balances(shop=shop)["available"] * PAYOUT_SHARE) >= minimum
        ),
        key=lambda shop: sellers.index(shop.owner.username),
    )
    reviewer = _reviewer()
    for shop, holder in zip(with_money, HOLDERS, strict=False):
        _verify(shop, holder, reviewer)
        _confirm_bank_account(shop)
        _pay_out(shop)


def _reviewer() -> User:
    reviewer, _ = User.objects.get_or_create(
        username=REVIEWER,
        defaults={
            "email": f"{REVIEWER}@example.com",
            "is_staff": True,
            "password": make_password(None),  # unusable: nobody logs in as the demo reviewer
        },
    )
    return reviewer


def _verify(shop: Shop, holder: tuple[str, str, str, str], reviewer: User) -> None:
    verification = ShopVerification.objects.get(shop=shop)
    if verification.status == ShopVerification.Status.VERIFIED:
        return
    legal_name, id_number, bank_name, account_number = holder
    if verification.status != ShopVerification.Status.SUBMITTED:
        verification = shop_verification_submit(
            shop=shop,
            actor=shop.owner,
            legal_name=legal_name,
            id_number=id_number,
            id_photo=_id_photo(legal_name),
            bank_name=bank_name,
            bank_account_name=legal_name,
            bank_account_number=account_number,
        )
    shop_verification_review(
        verification=verification,
        reviewer=reviewer,
        approve=True,
        reason="Demo data: the ID card and the bank account match.",
    )


def _id_photo(legal_name: str) -> SimpleUploadedFile:
    picture = Image.new("RGB", (640, 400), (226, 232, 240))
    drawing = ImageDraw.Draw(picture)
    drawing.rectangle((40, 40, 600, 360), outline=(100, 116, 139), width=4)
    drawing.text((80, 80), "ID card (demo)", fill=(30, 41, 59))
    buffer = BytesIO()
    picture.save(buffer, format="JPEG")
    return SimpleUploadedFile(f"{legal_name}.jpg", buffer.getvalue(), "image/jpeg")


def _confirm_bank_account(shop: Shop) -> None:
    """The seller starts the check, reads both amounts on the sandbox's statement and types them
    back (in the other order: either is fine)."""
    check = bank_check_start(shop=shop)
    if check.status != BankAccountCheck.Status.PENDING:
        return
    sent = SandboxTransfer.objects.get(reference=check.provider_reference)
    first, second = (from_minor_units(units) for units in sent.amounts_minor)
    bank_check_confirm(shop=shop, first_amount=second, second_amount=first)


def _pay_out(shop: Shop) -> None:
    """A payout of part of the balance; the sandbox's outcome arrives through the same
    ``webhook_receive`` as one over HTTP (the copy its Celery task sends later is ignored)."""
    amount = to_money(shop_balances(shop=shop)["available"] * PAYOUT_SHARE)
    payout = payout_request(shop=shop, actor=shop.owner, amount=amount)
    body = sandbox_payout_outcome(SandboxTransfer.objects.get(reference=payout.provider_reference))
    headers = {SIGNATURE_HEADER: sign(body, int(time.time()))}
    webhook_receive(provider_name=payout.provider, body=body, headers=headers)
