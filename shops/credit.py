"""A shop's seller credit grade as the catalogue shows it.

``ratings`` computes the grade and writes it onto the shop (``Shop.credit_level``: 0 for none, then
1–5 hearts, 1–5 diamonds, 1–5 crowns, 1–5 golden crowns, up to 20); shops only turns the level
into words and icons, without importing ``ratings``. A ratings test checks these names against
``ratings.services.counting.grade_name``.
"""

from dataclasses import dataclass
from decimal import Decimal

GRADES_PER_KIND = 5
KINDS = ("heart", "diamond", "crown", "golden crown")
TOP_LEVEL = GRADES_PER_KIND * len(KINDS)


@dataclass(frozen=True)
class CreditGrade:
    level: int
    kind: str  # "" for no grade yet
    count: int  # how many icons

    @property
    def name(self) -> str:
        """``"none"``, ``"1 heart"`` … ``"5 golden crowns"``."""
        if not self.count:
            return "none"
        return f"{self.count} {self.kind}{'s' if self.count > 1 else ''}"

    @property
    def css_kind(self) -> str:
        return self.kind.replace(" ", "-")


def credit_grade(level: int) -> CreditGrade:
    level = max(0, min(level, TOP_LEVEL))
    if not level:
        return CreditGrade(0, "", 0)
    return CreditGrade(
        level, KINDS[(level - 1) // GRADES_PER_KIND], (level - 1) % GRADES_PER_KIND + 1
    )


def credit_grade_name(level: int) -> str:
    return credit_grade(level).name


def rate_percent(rate: Decimal | None) -> str:
    """A good rate of ``0.9876`` as ``"98.76%"``; ``""`` when there is none yet."""
    if rate is None:
        return ""
    return f"{(rate * 100).quantize(Decimal('0.01'))}%"
