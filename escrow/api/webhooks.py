"""The endpoint payment providers call. No session or token: the signature is the proof."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from escrow.services.payments import webhook_receive


class RawBodyParser(BaseParser):
    """Keeps the exact bytes: the signature is computed over them."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        return stream.read() if stream else b""


class PaymentWebhookView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    parser_classes = [RawBodyParser]

    @extend_schema(
        tags=["payments"],
        request={"application/json": dict},
        responses={
            200: inline_serializer("WebhookResult", {"status": serializers.CharField()}),
            400: OpenApiResponse(description="Bad signature, stale timestamp or malformed body."),
            422: OpenApiResponse(description="Unknown payment or wrong amount."),
        },
        summary="Payment provider notifications (signed)",
    )
    def post(self, request: Request, provider: str) -> Response:
        body = request.data if isinstance(request.data, bytes) else b""
        headers = {name: value for name, value in request.headers.items()}
        return Response(
            {"status": webhook_receive(provider_name=provider, body=body, headers=headers)}
        )
