"""Staff moderate shops, verifications and listings in Django admin, through the services."""

from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.accounts.models import User
from shops.models import Listing, Place, Shop, ShopEvent, ShopVerification
from shops.services.places import place_add
from shops.services.shops import shop_set_status, shop_verification_submit
from tests.factories import ShopFactory, UserFactory, make_category, make_listing, make_place
from tests.images import image_upload

pytestmark = pytest.mark.django_db

ID_NUMBER = "33078219900101123X"


@pytest.fixture
def staff() -> User:
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client: Client, staff: User) -> Client:
    client.force_login(staff)
    return client


def submitted_verification(shop: Shop) -> ShopVerification:
    return shop_verification_submit(
        shop=shop,
        actor=shop.owner,
        legal_name="王小红",
        id_number=ID_NUMBER,
        id_photo=image_upload("id.png"),
        bank_name="中国农业银行",
        bank_account_name="王小红",
        bank_account_number="6228480012345678901",
    )


def run_action(client: Client, model: type, action: str, objects: list, **extra: str) -> Any:
    """Post an admin action for ``objects`` to the model's changelist, following redirects."""
    url = reverse(f"admin:shops_{model._meta.model_name}_changelist")
    data = {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], **extra}
    return client.post(url, data, follow=True)


@pytest.mark.parametrize(
    "model_name", ["shop", "listing", "shopverification", "place", "category", "protectedbrand"]
)
def test_changelists_open_for_staff(staff_client: Client, model_name: str) -> None:
    make_listing(title="韩版修身连衣裙 夏季新款")

    response = staff_client.get(reverse(f"admin:shops_{model_name}_changelist"))

    assert response.status_code == 200


def test_shop_and_listing_change_views_show_the_record_read_only(staff_client: Client) -> None:
    listing = make_listing(variants={"颜色": ["红", "蓝"], "尺码": ["S", "M"]})

    shop_page = staff_client.get(reverse("admin:shops_shop_change", args=[listing.shop.pk]))
    listing_page = staff_client.get(reverse("admin:shops_listing_change", args=[listing.pk]))

    assert shop_page.status_code == listing_page.status_code == 200
    assert b"listing_created" in shop_page.content
    assert "颜色: 红 / 尺码: M" in listing_page.content.decode()
    assert b'name="_save"' not in listing_page.content


def test_the_suspend_action_first_asks_for_a_reason(staff_client: Client) -> None:
    shop = ShopFactory()

    response = run_action(staff_client, Shop, "suspend_shops", [shop], index="0")

    assert response.status_code == 200
    assert b'name="reason"' in response.content
    shop.refresh_from_db()
    assert shop.status == Shop.Status.ACTIVE


def test_suspending_with_a_reason_suspends_and_records_who_and_why(
    staff_client: Client, staff: User
) -> None:
    shops = [ShopFactory(), ShopFactory()]

    response = run_action(
        staff_client, Shop, "suspend_shops", shops, confirm="yes", reason="Sells fake goods."
    )

    assert "Suspended 2 shops." in response.content.decode()
    for shop in shops:
        shop.refresh_from_db()
        assert shop.status == Shop.Status.SUSPENDED
        event = ShopEvent.objects.get(shop=shop, type="shop_suspended")
        assert (event.actor, event.data["reason"]) == (staff, "Sells fake goods.")


def test_recording_violations_adds_points_and_twelve_hide_the_shop_from_search(
    staff_client: Client, staff: User
) -> None:
    shop = ShopFactory()
    fields = {"rule": "虚假宣传", "reason": "Photos show another brand's goods."}

    page = run_action(staff_client, Shop, "record_violations", [shop])
    run_action(staff_client, Shop, "record_violations", [shop], confirm="yes", points="6", **fields)
    shop.refresh_from_db()
    assert b'name="points"' in page.content and shop.violation_points == 6
    assert shop.search_hidden_until is None

    run_action(staff_client, Shop, "record_violations", [shop], confirm="yes", points="6", **fields)
    shop.refresh_from_db()
    assert shop.violation_points == 12 and shop.search_hidden_until is not None
    event = ShopEvent.objects.filter(shop=shop, type="violation_recorded").order_by("pk").last()
    assert event is not None and event.actor == staff
    assert (event.data["points"], event.data["total"], event.data["rule"]) == (6, 12, "虚假宣传")


def test_a_violation_without_points_changes_nothing(staff_client: Client) -> None:
    shop = ShopFactory()

    response = run_action(
        staff_client, Shop, "record_violations", [shop], confirm="yes", rule="x", reason="y"
    )

    assert response.status_code == 200 and b"This field is required." in response.content
    shop.refresh_from_db()
    assert shop.violation_points == 0


def test_confirming_without_a_reason_shows_the_form_again_and_changes_nothing(
    staff_client: Client,
) -> None:
    shop = ShopFactory()

    response = run_action(staff_client, Shop, "suspend_shops", [shop], confirm="yes", reason=" ")

    assert response.status_code == 200
    assert b"This field is required." in response.content
    shop.refresh_from_db()
    assert shop.status == Shop.Status.ACTIVE
    assert not ShopEvent.objects.filter(shop=shop).exists()


def test_reactivating_a_closed_shop_is_reported_not_a_server_error(
    staff_client: Client, staff: User
) -> None:
    closed = shop_set_status(
        shop=ShopFactory(), status=Shop.Status.CLOSED, actor=staff, reason="Owner left."
    )

    response = run_action(
        staff_client, Shop, "reactivate_shops", [closed], confirm="yes", reason="Appeal upheld."
    )

    assert response.status_code == 200
    assert "A closed shop stays closed." in response.content.decode()
    closed.refresh_from_db()
    assert closed.status == Shop.Status.CLOSED


def test_staff_without_the_change_permission_cannot_run_the_action(client: Client) -> None:
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_shop"))
    client.force_login(viewer)
    shop = ShopFactory()

    run_action(client, Shop, "suspend_shops", [shop], confirm="yes", reason="Fake goods.")

    shop.refresh_from_db()
    assert shop.status == Shop.Status.ACTIVE


def test_a_moderator_with_the_change_permission_can_run_the_action(client: Client) -> None:
    moderators = Group.objects.create(name="moderators")
    moderators.permissions.add(
        *Permission.objects.filter(codename__in=["view_shop", "change_shop"])
    )
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(moderators)
    client.force_login(moderator)
    shop = ShopFactory()

    run_action(client, Shop, "suspend_shops", [shop], confirm="yes", reason="Fake goods.")

    shop.refresh_from_db()
    assert shop.status == Shop.Status.SUSPENDED


def test_approving_a_submitted_verification(staff_client: Client, staff: User) -> None:
    verification = submitted_verification(ShopFactory())

    run_action(
        staff_client,
        ShopVerification,
        "approve_verifications",
        [verification],
        confirm="yes",
        reason="Photo matches the ID card.",
    )

    verification.refresh_from_db()
    assert verification.status == ShopVerification.Status.VERIFIED
    assert verification.reviewed_by == staff


def test_the_full_id_number_shows_only_in_the_change_view(staff_client: Client) -> None:
    verification = submitted_verification(ShopFactory())

    changelist = staff_client.get(reverse("admin:shops_shopverification_changelist"))
    change = staff_client.get(
        reverse("admin:shops_shopverification_change", args=[verification.pk])
    )

    assert ID_NUMBER not in changelist.content.decode()
    assert verification.id_number_masked in changelist.content.decode()
    assert ID_NUMBER in change.content.decode()


def test_staff_fetch_the_private_id_photo_through_admin(staff_client: Client) -> None:
    verification = submitted_verification(ShopFactory())
    url = reverse("admin:shops_shopverification_id_photo", args=[verification.pk])

    response = staff_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")  # type: ignore[attr-defined]
    assert (
        url
        in staff_client.get(
            reverse("admin:shops_shopverification_change", args=[verification.pk])
        ).content.decode()
    )


def test_others_cannot_fetch_the_id_photo(client: Client) -> None:
    verification = submitted_verification(ShopFactory())
    url = reverse("admin:shops_shopverification_id_photo", args=[verification.pk])
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_shopverification"))

    client.force_login(verification.shop.owner)
    assert client.get(url).status_code == 302
    client.force_login(viewer)
    assert client.get(url).status_code == 403


def test_taking_down_listings_records_the_reason(staff_client: Client, staff: User) -> None:
    listing = make_listing()

    run_action(
        staff_client,
        Listing,
        "take_down_listings",
        [listing],
        confirm="yes",
        reason="Rule 4.2: counterfeit brand.",
    )

    listing.refresh_from_db()
    assert listing.status == Listing.Status.TAKEN_DOWN
    assert listing.status_reason == "Rule 4.2: counterfeit brand."
    assert ShopEvent.objects.get(listing=listing, type="listing_taken_down").actor == staff


def test_the_listing_changelist_query_count_does_not_grow_with_rows(staff_client: Client) -> None:
    url = reverse("admin:shops_listing_changelist")
    make_listing()
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for _ in range(5):
        make_listing()
    with CaptureQueriesContext(connection) as many:
        staff_client.get(url)

    assert len(many) == len(few)


def test_filtering_listings_by_top_level_category_includes_its_subtree(
    staff_client: Client,
) -> None:
    dress = make_listing(title="碎花连衣裙", category=make_category("服装", "女装"))
    make_listing(title="安溪铁观音 浓香型 500g", category=make_category("食品"))
    clothing = make_category("服装")

    response = staff_client.get(
        reverse("admin:shops_listing_changelist"), {"category": clothing.slug}
    )

    assert [listing.pk for listing in response.context["cl"].result_list] == [dress.pk]


def test_renaming_a_place_refreshes_the_full_names_below_it(staff_client: Client) -> None:
    village = make_place()
    province = Place.objects.get(name="浙江省")

    response = staff_client.post(
        reverse("admin:shops_place_change", args=[province.pk]),
        {"name": "浙江", "households": "", "treebeard_position": "sorted-child"},
    )

    assert response.status_code == 302
    village.refresh_from_db()
    assert village.full_name == "浙江 / 金华市 / 义乌市 / 青岩刘村"


def test_adding_a_place_under_a_parent_gets_its_full_name(staff_client: Client) -> None:
    county = place_add(name="睢宁县", parent=make_place(("江苏省", "徐州市")))

    staff_client.post(
        reverse("admin:shops_place_add"),
        {
            "name": "东风村",
            "households": "1180",
            "treebeard_position": "sorted-child",
            "treebeard_ref_node": str(county.pk),
        },
    )

    assert Place.objects.get(name="东风村").full_name == "江苏省 / 徐州市 / 睢宁县 / 东风村"


def test_dragging_a_place_elsewhere_refreshes_its_full_name(staff_client: Client) -> None:
    village = make_place()
    county = make_place(("浙江省", "杭州市", "临安区"))

    response = staff_client.post(
        "/admin/shops/place/move/",
        {"node": village.pk, "target": county.pk, "relation": "child"},
    )

    assert response.status_code == 200
    village.refresh_from_db()
    assert village.full_name == "浙江省 / 杭州市 / 临安区 / 青岩刘村"
