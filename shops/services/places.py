"""The staff-managed list of places (province › city › county › village)."""

from django.db import transaction

from shops.models import Place

SEPARATOR = " / "


def _full_name(place: Place) -> str:
    return SEPARATOR.join(node.name for node in [*place.get_ancestors(), place])


@transaction.atomic
def place_add(*, name: str, parent: Place | None = None, households: int | None = None) -> Place:
    """Add a place under ``parent`` (a province when there is none), or return the existing one."""
    name = name.strip()
    siblings = parent.get_children() if parent else Place.get_root_nodes()
    existing = siblings.filter(name=name).first()
    if existing is not None:
        return existing
    place = (
        parent.add_child(name=name, households=households)
        if parent
        else Place.add_root(name=name, households=households)
    )
    place.full_name = _full_name(place)
    place.save(update_fields=["full_name"])
    return place


@transaction.atomic
def place_refresh_names(*, place: Place) -> None:
    """After staff rename or move a place, recompute its and its descendants' full names."""
    for node in [place, *place.get_descendants()]:
        node.refresh_from_db()
        node.full_name = _full_name(node)
        node.save(update_fields=["full_name"])
