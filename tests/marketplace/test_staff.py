"""The staff groups: created with their permissions, the same on every run."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from marketplace.accounts.staff import STAFF_GROUPS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_groups_get_exactly_their_permissions_and_a_rerun_changes_nothing() -> None:
    out = StringIO()
    call_command("sync_staff_groups", stdout=out)
    Group.objects.get(name="finance").permissions.clear()  # drifted by hand in admin
    call_command("sync_staff_groups", stdout=out)

    for name, wanted in STAFF_GROUPS.items():
        group = Group.objects.get(name=name)
        have = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert have == set(wanted)
    assert Group.objects.count() == 2
    assert "moderators: 23 permissions" in out.getvalue()


def test_a_moderator_may_decide_disputes_and_finance_may_not() -> None:
    call_command("sync_staff_groups", stdout=StringIO())
    moderator, accountant = UserFactory(is_staff=True), UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name="moderators"))
    accountant.groups.add(Group.objects.get(name="finance"))

    assert moderator.has_perm("escrow.change_dispute")
    assert not accountant.has_perm("escrow.change_dispute")
    assert accountant.has_perm("escrow.view_ledgerentry")
    assert not moderator.has_perm("escrow.view_ledgerentry")
