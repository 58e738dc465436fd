"""The one API router: each app registers its viewsets here, under /api/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
