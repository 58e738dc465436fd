"""Bad input to the API gets a 4xx in the one error shape {code, message, extra}, never a 500."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def assert_error_shape(response, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["extra"], dict)


def test_malformed_json_is_a_parse_error(api_client: APIClient) -> None:
    response = api_client.post(
        "/api/auth/login/", data='{"username": "a", ', content_type="application/json"
    )

    assert_error_shape(response, 400, "parse_error")


def test_wrong_field_types_are_field_errors(api_client: APIClient) -> None:
    response = api_client.post(
        "/api/auth/signup/",
        {"username": ["not", "a", "string"], "email": 42, "password": {"a": 1}},
        format="json",
    )

    assert_error_shape(response, 400, "invalid")
    fields = response.json()["extra"]["fields"]
    assert set(fields) == {"username", "email", "password"}
    assert fields["password"][0]["code"] == "invalid"


def test_missing_fields_are_named(api_client: APIClient) -> None:
    response = api_client.post("/api/auth/signup/", {}, format="json")

    assert_error_shape(response, 400, "invalid")
    fields = response.json()["extra"]["fields"]
    assert {name: errors[0]["code"] for name, errors in fields.items()} == {
        "username": "required",
        "email": "required",
        "password": "required",
    }


def test_a_json_array_instead_of_an_object_is_refused(api_client: APIClient) -> None:
    response = api_client.post("/api/auth/login/", [1, 2], format="json")

    assert_error_shape(response, 400, "invalid")
    assert "non_field_errors" in response.json()["extra"]["fields"]


@pytest.mark.parametrize("path", ["/api/nothing-here/", "/api/auth/login", "/api/auth/me/x/"])
def test_unknown_api_url_is_404_json(api_client: APIClient, path: str) -> None:
    response = api_client.get(path)

    assert_error_shape(response, 404, "not_found")


def test_wrong_method_is_405_with_allow_header(api_client: APIClient) -> None:
    response = api_client.get("/api/auth/login/")

    assert_error_shape(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


def test_oversized_body_is_413_before_parsing(api_client: APIClient, settings) -> None:  # type: ignore[no-untyped-def]
    body = '{"username": "' + "x" * settings.API_MAX_BODY_BYTES + '", "password": "p"}'

    response = api_client.post("/api/auth/login/", data=body, content_type="application/json")

    assert_error_shape(response, 413, "request_too_large")
    assert response.json()["extra"]["limit_bytes"] == settings.API_MAX_BODY_BYTES


def test_unsupported_media_type_is_415(api_client: APIClient) -> None:
    response = api_client.post("/api/auth/login/", data="<xml/>", content_type="application/xml")

    assert_error_shape(response, 415, "unsupported_media_type")


def test_not_acceptable_is_406(api_client: APIClient) -> None:
    response = api_client.get("/api/auth/me/", HTTP_ACCEPT="application/x-nonsense")

    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"


def test_html_pages_keep_html_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_schema_and_docs_are_served_without_login(api_client: APIClient) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = api_client.get("/api/docs/")

    assert schema.status_code == 200
    assert "/api/auth/signup/" in schema.json()["paths"]
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()


def test_nested_field_errors_are_flattened_to_dotted_keys() -> None:
    from rest_framework import serializers

    from marketplace.api.errors import api_exception_handler

    detail = {"skus": [{}, {"price": ["A valid number is required."]}], "title": ["Too long."]}
    response = api_exception_handler(serializers.ValidationError(detail), {})

    assert response is not None
    assert response.data["extra"]["fields"] == {
        "skus.1.price": [{"code": "invalid", "message": "A valid number is required."}],
        "title": [{"code": "invalid", "message": "Too long."}],
    }
    assert response.data["message"] == "skus.1.price: A valid number is required."
