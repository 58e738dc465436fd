"""Listings as CSV, one row per SKU, for sellers who keep their catalogue in a spreadsheet.

Columns: ``listing`` (the listing's id for an existing listing, or any label of the seller's for
a new one; rows with the same value are one listing), ``title``, ``category`` (the category's
slug), ``description``, ``shipping_method``, ``shipping_fee``, ``variants`` (``颜色=红; 尺码=M``,
empty for a listing without variants), ``price``, ``stock``.

An import saves everything or nothing: any bad row is reported with its line number and reason,
and nothing from that file is saved. Text is UTF-8, with or without a byte-order mark.
"""

import csv
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from marketplace.accounts.models import User
from marketplace.exceptions import ApplicationError
from shops.conf import shops_setting
from shops.models import Category, Listing, Shop
from shops.services.events import shop_event_record
from shops.services.listings import (
    ListingInput,
    SkuInput,
    VariantAttribute,
    listing_create,
    listing_update,
    listing_validate,
)

COLUMNS = [
    "listing",
    "title",
    "category",
    "description",
    "shipping_method",
    "shipping_fee",
    "variants",
    "price",
    "stock",
]


class CsvImportFailed(ApplicationError):
    default_code = "csv_invalid"

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = sorted(errors)
        super().__init__(
            f"The file has {len(self.errors)} problem(s); nothing was saved.",
            extra={"errors": [{"line": line, "message": message} for line, message in self.errors]},
        )


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    attributes: dict[str, str] = field(default_factory=dict)
    price: Decimal | None = None
    stock: int | None = None
    unreadable: set[str] = field(default_factory=set)  # columns already reported for this row


@dataclass
class _Group:
    key: str
    rows: list[_Row] = field(default_factory=list)
    listing: Listing | None = None


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def listings_export_csv(*, shop: Shop) -> str:
    """Every listing of the shop with its active SKUs, in the import format."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    listings = (
        shop.listings.select_related("category")
        .prefetch_related("skus")
        .order_by("created_at", "pk")
    )
    for listing in listings:
        for sku in listing.skus.all():
            if not sku.is_active:
                continue
            writer.writerow(
                [
                    listing.public_id,
                    listing.title,
                    listing.category.slug,
                    listing.description,
                    listing.shipping_method,
                    listing.shipping_fee,
                    "; ".join(f"{name}={value}" for name, value in sku.ordered_attributes),
                    sku.price,
                    sku.stock,
                ]
            )
    return buffer.getvalue()


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvImportFailed(
            [(0, "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”.")]
        ) from error


def _parse_variants(text: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for part in text.replace("；", ";").split(";"):
        if not part.strip():
            continue
        name, equals, value = part.replace("＝", "=").partition("=")
        if not equals or not name.strip() or not value.strip():
            raise ValueError(f"“{part.strip()}” is not name=value.")
        if name.strip() in attributes:
            raise ValueError(f"“{name.strip()}” appears twice.")
        attributes[name.strip()] = value.strip()
    return attributes


def _read_rows(text: str, errors: list[tuple[int, str]]) -> list[_Row]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if sorted(header) != sorted(COLUMNS):
        missing = [name for name in COLUMNS if name not in header]
        extra = [name for name in header if name not in COLUMNS]
        detail = "; ".join(
            part
            for part in (
                f"missing: {', '.join(missing)}" if missing else "",
                f"unknown: {', '.join(extra)}" if extra else "",
            )
            if part
        )
        raise CsvImportFailed([(1, f"The columns must be {', '.join(COLUMNS)} ({detail}).")])
    reader.fieldnames = header
    rows = []
    for number, values in enumerate(reader, start=2):
        if number - 1 > shops_setting("CSV_MAX_ROWS"):
            raise CsvImportFailed([(number, f"At most {shops_setting('CSV_MAX_ROWS')} rows.")])
        if None in values:
            errors.append((number, "The row has more cells than there are columns."))
            continue
        row = _Row(number, {key: (value or "").strip() for key, value in values.items()})
        if not any(row.values.values()):
            continue
        _parse_row(row, errors)
        rows.append(row)
    if not rows and not errors:
        raise CsvImportFailed([(2, "The file has no listings.")])
    return rows


def _parse_row(row: _Row, errors: list[tuple[int, str]]) -> None:
    if not row.values["listing"]:
        errors.append((row.line, "listing: give each listing an id or a label."))
    try:
        row.attributes = _parse_variants(row.values["variants"])
    except ValueError as error:
        row.unreadable.add("variants")
        errors.append((row.line, f"variants: {error}"))
    try:
        row.price = Decimal(row.values["price"])
        if not row.price.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        row.price = None
        row.unreadable.add("price")
        errors.append((row.line, f"price: “{row.values['price']}” is not a number."))
    try:
        row.stock = int(row.values["stock"])
    except ValueError:
        row.unreadable.add("stock")
        errors.append((row.line, f"stock: “{row.values['stock']}” is not a whole number."))


def _variant_attributes(rows: Iterable[_Row]) -> list[VariantAttribute]:
    values: dict[str, list[str]] = {}
    for row in rows:
        for name, value in row.attributes.items():
            if value not in values.setdefault(name, []):
                values[name].append(value)
    return [VariantAttribute(name, tuple(vals)) for name, vals in values.items()]


def _listing_input(group: _Group, categories: dict[str, Category]) -> ListingInput:
    first = group.rows[0].values
    try:
        fee: Decimal | None = Decimal(first["shipping_fee"] or "0")
    except InvalidOperation:
        fee = None
    return ListingInput(
        title=first["title"],
        category=categories.get(first["category"]),
        description=first["description"],
        shipping_method=first["shipping_method"],
        shipping_fee=fee,
        variant_attributes=_variant_attributes(group.rows),
        skus=[SkuInput(row.attributes, row.price, row.stock) for row in group.rows],
    )


def _check_group(
    group: _Group, data: ListingInput, categories: dict[str, Category], errors: list
) -> None:
    first = group.rows[0]
    for row in group.rows[1:]:
        for column in ("title", "category", "description", "shipping_method", "shipping_fee"):
            if row.values[column] != first.values[column]:
                errors.append(
                    (row.line, f"{column}: differs from line {first.line} of the same listing.")
                )
    if first.values["category"] and first.values["category"] not in categories:
        errors.append((first.line, f"category: no category “{first.values['category']}”."))
    if group.listing is not None and group.listing.status == Listing.Status.TAKEN_DOWN:
        errors.append((first.line, "listing: staff took this listing down; it cannot change."))
    for key, messages in listing_validate(data).items():
        if key == "category" and first.values["category"]:
            continue  # already reported with the unknown slug
        row, column = first, key.split(".")[-1]
        if key.startswith("skus."):
            row = group.rows[int(key.split(".")[1])]
            if column in row.unreadable:
                continue
        errors.extend((row.line, f"{column}: {message}") for message in messages)


@transaction.atomic
def listings_import_csv(*, shop: Shop, actor: User, content: bytes) -> ImportResult:
    """Create or update the shop's listings from a CSV file, all or nothing."""
    if len(content) > shops_setting("CSV_MAX_BYTES"):
        raise CsvImportFailed([(0, "The file is larger than 2 MB; split it.")])
    errors: list[tuple[int, str]] = []
    rows = _read_rows(_decode(content), errors)
    groups: dict[str, _Group] = {}
    for row in rows:
        if row.values["listing"]:
            groups.setdefault(row.values["listing"], _Group(row.values["listing"])).rows.append(row)
    own = _own_listings(shop, list(groups))
    categories = {category.slug: category for category in Category.objects.all()}
    inputs = []
    for group in groups.values():
        group.listing = own.get(str(uuid.UUID(group.key))) if _is_uuid(group.key) else None
        if group.listing is None and _is_uuid(group.key):
            errors.append((group.rows[0].line, "listing: no listing of your shop has this id."))
            continue
        data = _listing_input(group, categories)
        _check_group(group, data, categories, errors)
        inputs.append((group, data))
    if errors:
        raise CsvImportFailed(errors)
    created = updated = 0
    for group, data in inputs:
        try:
            if group.listing is None:
                listing_create(shop=shop, actor=actor, data=data)
                created += 1
            else:
                listing_update(listing=group.listing, actor=actor, data=data)
                updated += 1
        except (ValidationError, ApplicationError) as error:
            message = getattr(error, "message", None) or "; ".join(error.messages)  # type: ignore[union-attr]
            raise CsvImportFailed([(group.rows[0].line, str(message))]) from error
    shop_event_record(
        shop=shop, type="listings_imported", actor=actor, created=created, updated=updated
    )
    return ImportResult(created=created, updated=updated)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _own_listings(shop: Shop, keys: list[str]) -> dict[str, Listing]:
    ids = [key for key in keys if _is_uuid(key)]
    return {str(listing.public_id): listing for listing in shop.listings.filter(public_id__in=ids)}
