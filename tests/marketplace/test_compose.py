"""docker-compose.yml cannot run here (no Docker engine), so check that what it names exists."""

import importlib
import importlib.util
import re
from pathlib import Path

import yaml
from django.conf import settings

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"


def load() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_has_the_marketplace_services() -> None:
    services = load()["services"]

    assert set(services) >= {"db", "redis", "web", "worker", "beat"}
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:")


def test_each_app_service_command_names_modules_and_settings_that_exist() -> None:
    services = load()["services"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        command = service["command"]
        command = " ".join(command) if isinstance(command, list) else command
        environment = service.get("environment", {})
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        assert importlib.util.find_spec(environment["DJANGO_SETTINGS_MODULE"]), service
        if name == "web":
            module, attribute = re.search(r"(\S+):(\w+)", command).groups()  # type: ignore[union-attr]
            assert hasattr(importlib.import_module(module), attribute), command
        else:
            app_module = re.search(r"-A (\S+)", command).group(1)  # type: ignore[union-attr]
            assert hasattr(importlib.import_module(app_module), "celery_app"), command
            assert f" {name}" in command
        assert (Path(settings.BASE_DIR) / service["build"]["dockerfile"]).exists()
        assert set(service["depends_on"]) >= {"db", "redis"}
        assert "DATABASE_URL" in environment and "REDIS_URL" in environment


def test_dockerfile_installs_the_locked_requirements() -> None:
    dockerfile = (Path(settings.BASE_DIR) / "Dockerfile").read_text()

    assert "requirements.lock" in dockerfile
    assert "collectstatic" in dockerfile
