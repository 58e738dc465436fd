"""Demo buyers for ``seed_demo``. Every demo account's password is ``DEMO_PASSWORD``."""

from collections.abc import Callable

from marketplace.accounts.models import User

DEMO_PASSWORD = "market-demo-2024"  # noqa: S105 (printed in the README; demo data only)

DEMO_USERS = [
    ("lihua", "Li", "Hua"),
    ("wangfang", "Wang", "Fang"),
    ("zhangwei", "Zhang", "Wei"),
    ("liuyang", "Liu", "Yang"),
    ("chenjing", "Chen", "Jing"),
    ("yangmin", "Yang", "Min"),
    ("zhaolei", "Zhao", "Lei"),
    ("huangli", "Huang", "Li"),
    ("zhouqiang", "Zhou", "Qiang"),
    ("wuxia", "Wu", "Xia"),
    ("xuming", "Xu", "Ming"),
    ("sunna", "Sun", "Na"),
    ("emma", "Emma", "Clark"),
    ("oliver", "Oliver", "Brown"),
    ("sofia", "Sofia", "Rossi"),
]


def steps() -> list[tuple[str, Callable[[], None]]]:
    return [
        (f"user {username}", _user(username, first, last)) for username, first, last in DEMO_USERS
    ]


def _user(username: str, first_name: str, last_name: str) -> Callable[[], None]:
    def create() -> None:
        if User.objects.filter(username__iexact=username).exists():
            return
        User.objects.create_user(
            username=username,
            email=f"{username}@example.com",
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )

    return create
