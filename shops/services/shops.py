"""Opening and running a shop, and real-name verification (KYC)."""

import re
import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from marketplace.accounts.models import User
from marketplace.exceptions import InvalidTransition
from shops.conf import shops_setting
from shops.exceptions import ShopAlreadyOpen, ShopNotActive
from shops.models import Place, ProtectedBrand, Shop, ShopVerification
from shops.services.events import shop_event_record
from shops.services.images import image_prepare

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
RESERVED_SLUGS = {"new", "open", "edit", "admin", "api", "seller", "static", "media"}
ID_NUMBER_PATTERN = re.compile(r"^\d{17}[\dX]\Z")
BANK_ACCOUNT_PATTERN = re.compile(r"^\d{8,34}\Z")


def shop_qs_select_for_update() -> Any:
    return Shop.objects.order_by("pk").select_for_update(of=("self",))


def _others(shops: QuerySet[Shop], exclude_pk: int | None) -> QuerySet[Shop]:
    return shops if exclude_pk is None else shops.exclude(pk=exclude_pk)


def _check_name(name: str, *, exclude_pk: int | None = None) -> list[str]:
    errors = []
    low, high = shops_setting("SHOP_NAME_MIN_LENGTH"), shops_setting("SHOP_NAME_MAX_LENGTH")
    if not low <= len(name) <= high:
        errors.append(f"A shop name has {low} to {high} characters.")
    taken = _others(Shop.objects.filter(name__iexact=name), exclude_pk)
    if name and taken.exists():
        errors.append("Another shop has this name.")
    lowered = name.casefold()
    for brand in ProtectedBrand.objects.values_list("name", flat=True):
        if brand.casefold() in lowered:
            errors.append(f"The name contains the protected brand “{brand}”.")
    return errors


def _check_slug(slug: str, *, exclude_pk: int | None = None) -> list[str]:
    if not SLUG_PATTERN.match(slug) or len(slug) > 50:
        return ["Use lowercase letters, digits and single hyphens (up to 50)."]
    if slug in RESERVED_SLUGS:
        return ["This address is reserved."]
    if _others(Shop.objects.filter(slug=slug), exclude_pk).exists():
        return ["Another shop uses this address."]
    return []


def _free_slug(name: str) -> str:
    base = slugify(name)[:40].strip("-")
    if base and base not in RESERVED_SLUGS and not Shop.objects.filter(slug=base).exists():
        return base
    return f"{base or 'shop'}-{secrets.token_hex(3)}"


def _place_fields(place: Place) -> dict[str, str]:
    names = [node.name for node in [*Place.objects.get_ancestors(place), place]]
    names += [""] * (4 - len(names))
    return dict(zip(("province", "city", "county", "village"), names, strict=True))


def _check_place(place: Place | None) -> list[str]:
    if place is None:
        return ["Choose where the shop is."]
    if place.depth < Place.Kind.CITY:
        return ["Choose at least a city, better your county or village."]
    return []


@transaction.atomic
def shop_open(
    *,
    owner: User,
    name: str,
    place: Place | None,
    slug: str = "",
    description: str = "",
    contact_phone: str = "",
    contact_wechat: str = "",
    logo: UploadedFile | None = None,
) -> Shop:
    """Open the owner's one shop. Free; the shop is active at once."""
    User.objects.select_for_update().get(pk=owner.pk)  # one shop per owner, even when racing
    if Shop.objects.filter(owner=owner).exists():
        raise ShopAlreadyOpen("You already have a shop.")
    name, slug = name.strip(), slug.strip().lower()
    errors: dict[str, list[str]] = {}
    if name_errors := _check_name(name):
        errors["name"] = name_errors
    if slug and (slug_errors := _check_slug(slug)):
        errors["slug"] = slug_errors
    if place_errors := _check_place(place):
        errors["place"] = place_errors
    logo_files = _logo(logo, errors)
    if errors:
        raise ValidationError(errors)
    assert place is not None
    shop = Shop(
        owner=owner,
        name=name,
        slug=slug or _free_slug(name),
        description=description.strip(),
        place=place,
        contact_phone=contact_phone.strip(),
        contact_wechat=contact_wechat.strip(),
        **_place_fields(place),
    )
    if logo_files:
        shop.logo.save("logo.jpg", logo_files[0], save=False)
        shop.logo_thumbnail.save("logo.jpg", logo_files[1], save=False)
    try:
        with transaction.atomic():
            shop.save()
    except IntegrityError as error:  # a concurrent shop took the name or address a moment ago
        raise ValidationError({"name": ["Another shop has this name or address."]}) from error
    ShopVerification.objects.create(shop=shop)
    shop_event_record(shop=shop, type="shop_opened", actor=owner, name=shop.name)
    return shop


def _logo(logo: UploadedFile | None, errors: dict[str, list[str]]) -> Any:
    if logo is None:
        return None
    try:
        prepared = image_prepare(upload=logo)
    except ValidationError as error:
        errors["logo"] = error.messages
        return None
    return prepared.image, prepared.thumbnail


@transaction.atomic
def shop_update(
    *,
    shop: Shop,
    actor: User,
    name: str,
    place: Place | None,
    slug: str,
    description: str = "",
    contact_phone: str = "",
    contact_wechat: str = "",
    logo: UploadedFile | None = None,
) -> Shop:
    shop = shop_qs_select_for_update().get(pk=shop.pk)
    if shop.status == Shop.Status.CLOSED:
        raise ShopNotActive("A closed shop cannot be changed.")
    name, slug = name.strip(), slug.strip().lower()
    errors: dict[str, list[str]] = {}
    if name_errors := _check_name(name, exclude_pk=shop.pk):
        errors["name"] = name_errors
    if slug_errors := _check_slug(slug, exclude_pk=shop.pk):
        errors["slug"] = slug_errors
    if place_errors := _check_place(place):
        errors["place"] = place_errors
    logo_files = _logo(logo, errors)
    if errors:
        raise ValidationError(errors)
    assert place is not None
    changed = {
        field: value
        for field, value in {
            "name": name,
            "slug": slug,
            "description": description.strip(),
            "place": place,
            "contact_phone": contact_phone.strip(),
            "contact_wechat": contact_wechat.strip(),
            **_place_fields(place),
        }.items()
        if getattr(shop, field) != value
    }
    for field, value in changed.items():
        setattr(shop, field, value)
    if logo_files:
        shop.logo.save("logo.jpg", logo_files[0], save=False)
        shop.logo_thumbnail.save("logo.jpg", logo_files[1], save=False)
        changed["logo"] = shop.logo.name
    if not changed:
        return shop
    try:
        with transaction.atomic():
            shop.save()
    except IntegrityError as error:
        raise ValidationError({"name": ["Another shop has this name or address."]}) from error
    shop_event_record(
        shop=shop, type="shop_updated", actor=actor, fields=sorted(set(changed) - {"place"})
    )
    return shop


@transaction.atomic
def shop_set_status(*, shop: Shop, status: str, actor: User, reason: str) -> Shop:
    """Staff suspend, reopen or close a shop. Existing orders carry on whatever the status."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say why."]})
    shop = shop_qs_select_for_update().get(pk=shop.pk)
    if shop.status == status:
        return shop
    if shop.status == Shop.Status.CLOSED:
        raise InvalidTransition("A closed shop stays closed.")
    previous, shop.status = shop.status, status
    shop.save(update_fields=["status", "updated_at"])
    shop_event_record(
        shop=shop, type=f"shop_{status}", actor=actor, previous=previous, reason=reason.strip()
    )
    return shop


# --- Real-name verification -------------------------------------------------------------------


def _verification_for_update(shop: Shop) -> ShopVerification:
    verification, _ = ShopVerification.objects.select_for_update().get_or_create(shop=shop)
    return verification


@transaction.atomic
def shop_verification_submit(
    *,
    shop: Shop,
    actor: User,
    legal_name: str,
    id_number: str,
    id_photo: UploadedFile | None,
    bank_name: str,
    bank_account_name: str,
    bank_account_number: str,
) -> ShopVerification:
    """The seller hands in their identity and bank account; staff review it in admin."""
    verification = _verification_for_update(shop)
    if verification.status in {ShopVerification.Status.SUBMITTED, ShopVerification.Status.VERIFIED}:
        raise InvalidTransition(f"The verification is already {verification.status}.")
    legal_name, id_number = legal_name.strip(), id_number.strip().upper()
    bank_account_number = re.sub(r"[\s-]", "", bank_account_number)
    errors: dict[str, list[str]] = {}
    if not legal_name:
        errors["legal_name"] = ["Your name as on your ID card."]
    if not ID_NUMBER_PATTERN.match(id_number):
        errors["id_number"] = ["An ID card number has 17 digits and a final digit or X."]
    if id_photo is None:
        errors["id_photo"] = ["Upload a photo of yourself holding your ID card."]
    if not bank_name.strip():
        errors["bank_name"] = ["Name the bank."]
    if bank_account_name.strip() != legal_name:
        errors["bank_account_name"] = ["The account must be in your own name."]
    if not BANK_ACCOUNT_PATTERN.match(bank_account_number):
        errors["bank_account_number"] = ["An account number has 8 to 34 digits."]
    photo = None
    if id_photo is not None:
        try:
            photo = image_prepare(upload=id_photo, max_side=2400)
        except ValidationError as error:
            errors["id_photo"] = error.messages
    if errors:
        raise ValidationError(errors)
    assert photo is not None
    verification.legal_name = legal_name
    verification.id_number = id_number
    verification.bank_name = bank_name.strip()
    verification.bank_account_name = bank_account_name.strip()
    verification.bank_account_number = bank_account_number
    verification.id_photo.save("id.jpg", photo.image, save=False)
    verification.status = ShopVerification.Status.SUBMITTED
    verification.rejection_reason = ""
    verification.submitted_at = timezone.now()
    verification.save()
    shop_event_record(shop=shop, type="verification_submitted", actor=actor)
    return verification


@transaction.atomic
def shop_verification_review(
    *, verification: ShopVerification, reviewer: User, approve: bool, reason: str
) -> ShopVerification:
    """Staff approve or reject a submitted verification, always saying why."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say why."]})
    verification = ShopVerification.objects.select_for_update().get(pk=verification.pk)
    target = ShopVerification.Status.VERIFIED if approve else ShopVerification.Status.REJECTED
    if verification.status == target:
        return verification
    if verification.status != ShopVerification.Status.SUBMITTED:
        raise InvalidTransition(f"A {verification.status} verification cannot be reviewed.")
    verification.status = target
    verification.rejection_reason = "" if approve else reason.strip()
    verification.reviewed_at = timezone.now()
    verification.reviewed_by = reviewer
    verification.save(update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by"])
    shop_event_record(
        shop=verification.shop,
        type=f"verification_{target}",
        actor=reviewer,
        reason=reason.strip(),
    )
    return verification


def shop_credit_set(*, shop_id: int, score: int, level: int, good_rate: Decimal | None) -> None:
    """Store the shop's seller credit as ``ratings`` computed it (shown on the storefront and in
    the listing API, used by search)."""
    Shop.objects.filter(pk=shop_id).update(
        credit_score=score, credit_level=level, good_rate=good_rate
    )


@transaction.atomic
def shop_violation_record(
    *, shop: Shop, actor: User, points: int, rule: str, evidence: str
) -> Shop:
    """Staff record a confirmed violation: its points count for the calendar year, and reaching
    ``SEARCH_PENALTY_POINTS`` hides the shop's listings from search for ``SEARCH_PENALTY``.
    Search demotes listings of shops with points even below that (``search`` reads them)."""
    errors: dict[str, list[str]] = {}
    if not 1 <= points <= 48:
        errors["points"] = ["A violation carries 1 to 48 points."]
    if not rule.strip():
        errors["rule"] = ["Name the rule broken."]
    if not evidence.strip():
        errors["evidence"] = ["Attach the evidence."]
    if errors:
        raise ValidationError(errors)
    shop = shop_qs_select_for_update().get(pk=shop.pk)
    now = timezone.now()
    year = timezone.localdate(now).year
    before = shop.violation_points if shop.violation_year == year else 0
    shop.violation_points, shop.violation_year = before + points, year
    threshold = shops_setting("SEARCH_PENALTY_POINTS")
    if before < threshold <= shop.violation_points:
        shop.search_hidden_until = now + shops_setting("SEARCH_PENALTY")
    shop.save(update_fields=["violation_points", "violation_year", "search_hidden_until"])
    shop_event_record(
        shop=shop,
        type="violation_recorded",
        actor=actor,
        points=points,
        total=shop.violation_points,
        rule=rule.strip(),
        evidence=evidence.strip(),
        hidden_until=shop.search_hidden_until.isoformat() if shop.search_hidden_until else None,
    )
    return shop
