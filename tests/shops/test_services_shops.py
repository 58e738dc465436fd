"""Opening and running a shop; real-name verification."""

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from marketplace.exceptions import InvalidTransition
from shops.exceptions import ShopAlreadyOpen
from shops.models import ProtectedBrand, Shop, ShopEvent, ShopVerification
from shops.services.shops import (
    shop_open,
    shop_set_status,
    shop_update,
    shop_verification_review,
    shop_verification_submit,
)
from tests.factories import ShopFactory, UserFactory, make_place
from tests.images import image_upload

pytestmark = pytest.mark.django_db


def open_shop(**overrides: object) -> Shop:
    fields: dict[str, object] = {
        "owner": UserFactory(),
        "name": "青岩刘小店",
        "place": make_place(),
    }
    return shop_open(**{**fields, **overrides})  # type: ignore[arg-type]


def test_opening_a_shop_is_free_and_records_where_it_is() -> None:
    shop = open_shop(slug="qingyan")

    assert shop.status == Shop.Status.ACTIVE
    assert (shop.province, shop.city, shop.county, shop.village) == (
        "浙江省",
        "金华市",
        "义乌市",
        "青岩刘村",
    )
    assert shop.verification.status == ShopVerification.Status.UNVERIFIED
    assert ShopEvent.objects.get(shop=shop).type == "shop_opened"


def test_a_chinese_name_gets_a_working_address() -> None:
    shop = open_shop()

    assert shop.slug.startswith("shop-")
    assert len(shop.slug) > len("shop-")


def test_a_user_opens_at_most_one_shop() -> None:
    shop = open_shop()

    with pytest.raises(ShopAlreadyOpen):
        open_shop(owner=shop.owner, name="Second shop")
    assert Shop.objects.count() == 1


@pytest.mark.parametrize("name", ["青岩刘小店", "青岩刘小店 ".upper()])
def test_shop_names_are_unique_regardless_of_case(name: str) -> None:
    open_shop(name="青岩刘小店")

    with pytest.raises(ValidationError) as error:
        open_shop(name=name)
    assert error.value.message_dict["name"] == ["Another shop has this name."]


def test_a_name_containing_a_protected_brand_is_refused() -> None:
    ProtectedBrand.objects.create(name="Nike")

    with pytest.raises(ValidationError) as error:
        open_shop(name="Real NIKE outlet")

    assert "protected brand" in error.value.message_dict["name"][0]
    assert not Shop.objects.exists()


def test_bad_input_is_reported_per_field_and_nothing_is_saved() -> None:
    with pytest.raises(ValidationError) as error:
        open_shop(name="x", slug="Not A Slug", place=None, logo=image_upload(name="a.txt"))

    assert set(error.value.message_dict) == {"name", "slug", "place"}
    assert not Shop.objects.exists()
    assert not ShopEvent.objects.exists()


def test_a_province_alone_is_not_precise_enough() -> None:
    province = make_place(("浙江省",))

    with pytest.raises(ValidationError) as error:
        open_shop(place=province)
    assert "place" in error.value.message_dict


def test_a_non_image_logo_is_a_field_error() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as error:
        open_shop(logo=SimpleUploadedFile("logo.png", b"not a picture", "image/png"))
    assert "not a picture" in error.value.message_dict["logo"][0]


def test_updating_the_profile_records_what_changed() -> None:
    shop = ShopFactory()
    place = make_place(("山东省", "菏泽市", "曹县", "丁楼村"))

    shop_update(shop=shop, actor=shop.owner, name=shop.name, slug="caoxian", place=place)

    shop.refresh_from_db()
    assert (shop.slug, shop.province, shop.village) == ("caoxian", "山东省", "丁楼村")
    event = ShopEvent.objects.get(type="shop_updated")
    assert event.data["fields"] == ["city", "county", "province", "slug", "village"]


def test_staff_suspend_a_shop_with_a_reason_and_a_closed_shop_stays_closed() -> None:
    shop = ShopFactory()
    staff = UserFactory(is_staff=True)

    with pytest.raises(ValidationError):
        shop_set_status(shop=shop, status=Shop.Status.SUSPENDED, actor=staff, reason=" ")
    shop_set_status(shop=shop, status=Shop.Status.SUSPENDED, actor=staff, reason="fake goods")
    shop_set_status(shop=shop, status=Shop.Status.CLOSED, actor=staff, reason="repeat offender")
    with pytest.raises(InvalidTransition):
        shop_set_status(shop=shop, status=Shop.Status.ACTIVE, actor=staff, reason="appeal")

    events = list(ShopEvent.objects.filter(shop=shop).values_list("type", "data__reason"))
    assert events == [("shop_closed", "repeat offender"), ("shop_suspended", "fake goods")]


def submit(shop: Shop, **overrides: object) -> ShopVerification:
    fields: dict[str, object] = {
        "legal_name": "刘阿花",
        "id_number": "33078219900101123x",
        "id_photo": image_upload(),
        "bank_name": "中国农业银行",
        "bank_account_name": "刘阿花",
        "bank_account_number": "6228 4800 1234 5678 901",
    }
    return shop_verification_submit(shop=shop, actor=shop.owner, **{**fields, **overrides})  # type: ignore[arg-type]


def test_verification_is_submitted_masked_and_reviewed_by_staff() -> None:
    shop = ShopFactory()
    staff = UserFactory(is_staff=True)

    verification = submit(shop)

    assert verification.status == ShopVerification.Status.SUBMITTED
    assert verification.id_number == "33078219900101123X"
    assert verification.id_number_masked == "330***********123X"
    assert verification.bank_account_masked == "***************8901"
    assert not verification.id_photo.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        verification.id_photo.url  # noqa: B018
    verified = shop_verification_review(
        verification=verification, reviewer=staff, approve=True, reason="ID matches"
    )
    assert verified.status == ShopVerification.Status.VERIFIED
    assert verified.reviewed_by == staff


def test_a_rejected_verification_can_be_corrected_and_sent_again() -> None:
    shop = ShopFactory()
    staff = UserFactory(is_staff=True)
    verification = submit(shop)
    shop_verification_review(
        verification=verification, reviewer=staff, approve=False, reason="photo is blurred"
    )

    again = submit(shop)

    assert again.status == ShopVerification.Status.SUBMITTED
    assert again.rejection_reason == ""


def test_verification_input_errors_name_each_field() -> None:
    shop = ShopFactory()

    with pytest.raises(ValidationError) as error:
        submit(
            shop,
            id_number="12345",
            id_photo=None,
            bank_account_name="Someone else",
            bank_account_number="12",
        )

    assert set(error.value.message_dict) == {
        "id_number",
        "id_photo",
        "bank_account_name",
        "bank_account_number",
    }
    shop.verification.refresh_from_db()
    assert shop.verification.status == ShopVerification.Status.UNVERIFIED


def test_a_verification_cannot_be_submitted_twice_while_under_review() -> None:
    shop = ShopFactory()
    submit(shop)

    with pytest.raises(InvalidTransition):
        submit(shop)


def run_concurrently(*calls: Callable[[], object]) -> list[object]:
    """Run each call in its own thread and database connection, all starting together."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # the outcome is what the test checks
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_sellers_racing_for_one_name_get_one_shop_and_one_field_error() -> None:
    place = make_place()
    first, second = UserFactory(), UserFactory()

    results = run_concurrently(
        lambda: shop_open(owner=first, name="Tea Garden", place=place),
        lambda: shop_open(owner=second, name="TEA GARDEN", place=place),
    )

    assert Shop.objects.count() == 1
    errors = [result for result in results if isinstance(result, ValidationError)]
    assert len(errors) == 1
    assert "name" in errors[0].message_dict


@pytest.mark.django_db(transaction=True)
def test_one_user_double_submitting_the_open_form_gets_one_shop() -> None:
    place = make_place()
    owner = UserFactory()

    results = run_concurrently(
        lambda: shop_open(owner=owner, name="Tea Garden", place=place),
        lambda: shop_open(owner=owner, name="Bamboo House", place=place),
    )

    assert Shop.objects.filter(owner=owner).count() == 1
    assert sum(isinstance(result, ShopAlreadyOpen) for result in results) == 1
