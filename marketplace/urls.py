"""URL wiring: the only place where the apps' interfaces meet."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from escrow.api import urls as escrow_api_urls
from escrow.api.webhooks import PaymentWebhookView
from escrow.web import sandbox
from escrow.web import urls as escrow_web_urls
from marketplace.accounts.api import urls as accounts_api_urls
from marketplace.accounts.web import urls as accounts_web_urls
from marketplace.api import errors
from marketplace.api_router import router
from marketplace.health import healthz
from ratings.api import urls as ratings_api_urls
from ratings.web import urls as ratings_web_urls
from search.api import urls as search_api_urls
from search.web import urls as search_web_urls
from shops.api import urls as shops_api_urls
from shops.web import urls as shops_web_urls
from shops.web import views as shops_web_views

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/", include(accounts_api_urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(shops_api_urls)),
    path("", include(escrow_api_urls)),
    path("", include(ratings_api_urls)),
    path("", include(search_api_urls)),
    path(
        "payments/webhooks/<slug:provider>/",
        PaymentWebhookView.as_view(),
        name="payment-webhook",
    ),
    path("", include(router.urls)),
    re_path(r"^.*$", errors.api_not_found),
]

urlpatterns = [
    path("", shops_web_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include(accounts_web_urls)),
    path("seller/", include(shops_web_urls)),
    path("seller/", include(escrow_web_urls)),
    path("seller/", include(ratings_web_urls)),
    path("seller/", include(search_web_urls)),
    path("", include(shops_web_urls.public_urlpatterns)),
    path("", include(ratings_web_urls.public_urlpatterns)),
    path("", include(search_web_urls.public_urlpatterns)),
    path("sandbox/pay/<slug:reference>/", sandbox.pay_page, name="sandbox_pay"),
    path("admin/", admin.site.urls),
    path("api/", include((api_urlpatterns, "api"))),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

admin.site.site_header = "Marketplace staff"
admin.site.site_title = "Marketplace staff"
admin.site.index_title = "Moderation and finance"

handler400 = "marketplace.views.bad_request"
handler403 = "marketplace.views.permission_denied"
handler404 = "marketplace.views.page_not_found"
handler500 = "marketplace.views.server_error"
