"""The marketplace's URLs plus the benchmark's reference: a bare DRF POST that decrements stock."""

from django.db.models import F
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.urls import handler400, handler403, handler404, handler500, urlpatterns
from shops.models import SKU

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


class DecrementView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    def post(self, request: Request, sku_id: int) -> Response:
        taken = SKU.objects.filter(pk=sku_id, stock__gte=1).update(stock=F("stock") - 1)
        return Response({"taken": taken}, status=201 if taken else 409)


urlpatterns = [path("bench/decrement/<int:sku_id>/", DecrementView.as_view()), *urlpatterns]
