"""The staff-managed list of places (province › city › county › village)."""

from django.db import transaction

from shops.models import Place

SEPARATOR = " / "


def _full_name(place: Place) -> str:
    return SEPARATOR.join(node.name for node in [*Place.objects.get_ancestors(place), place])


@transaction.atomic
def place_add(*, name: str, parent: Place | None = None, households: int | None = None) -> Place:
    """Add a place under ``parent`` (a province when there is none), or return the existing one."""
    name = name.strip()
    siblings = Place.objects.get_children(parent) if parent else Place.objects.get_root_nodes()
    existing = siblings.filter(name=name).first()
    if existing is not None:
        return existing
    fields = {"name": name, "households": households}
    place = Place.objects.add_child(parent, fields) if parent else Place.objects.add_root(fields)
    place.full_name = _full_name(place)
    place.save(update_fields=["full_name"])
    return place


@transaction.atomic
def place_refresh_names(*, place: Place) -> None:
    """After staff rename or move a place, recompute its and its descendants' full names."""
    for node in Place.objects.get_descendants(place, include_self=True):
        node.refresh_from_db()
        node.full_name = _full_name(node)
        node.save(update_fields=["full_name"])
