"""Accounts over the API: token authentication for apps, the session for the browsable API."""

from typing import cast

from django.contrib.auth import logout
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from marketplace.accounts import services
from marketplace.accounts.api import serializers as s
from marketplace.accounts.models import User

AUTH_TAG = ["auth"]


class AuthView(APIView):
    """Public endpoints that take a password or an e-mail address are throttled per client."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


def _user(request: Request) -> User:
    """The authenticated user of a view that requires authentication."""
    return cast(User, request.user)


def _session(user: User, status_code: int = status.HTTP_200_OK) -> Response:
    token = services.token_issue(user=user)
    data = s.SessionOutputSerializer({"token": token.key, "user": user}).data
    return Response(data, status=status_code)


class SignupView(AuthView):
    @extend_schema(
        tags=AUTH_TAG,
        request=s.SignupInputSerializer,
        responses={201: s.SessionOutputSerializer},
        summary="Register and receive an API token",
    )
    def post(self, request: Request) -> Response:
        data = s.SignupInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_create(**data.validated_data)
        return _session(user, status.HTTP_201_CREATED)


class LoginView(AuthView):
    @extend_schema(
        tags=AUTH_TAG,
        request=s.LoginInputSerializer,
        responses={200: s.SessionOutputSerializer},
        summary="Exchange username and password for an API token",
    )
    def post(self, request: Request) -> Response:
        data = s.LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_authenticate(**data.validated_data)
        return _session(user)


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=AUTH_TAG,
        request=None,
        responses={204: OpenApiResponse(description="The token no longer works.")},
        summary="Revoke the API token and end the browser session",
    )
    def post(self, request: Request) -> Response:
        services.token_revoke(user=_user(request))
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=AUTH_TAG, responses={200: s.UserOutputSerializer}, summary="Who am I")
    def get(self, request: Request) -> Response:
        return Response(s.UserOutputSerializer(_user(request)).data)


class PasswordChangeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=AUTH_TAG,
        request=s.PasswordChangeInputSerializer,
        responses={200: s.TokenOutputSerializer},
        summary="Change the password; the old token stops working and a new one is returned",
    )
    def post(self, request: Request) -> Response:
        data = s.PasswordChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = services.user_change_password(user=_user(request), **data.validated_data)
        return Response({"token": token.key})


class PasswordResetView(AuthView):
    @extend_schema(
        tags=AUTH_TAG,
        request=s.PasswordResetInputSerializer,
        responses={202: OpenApiResponse(description="A link was sent if the address is known.")},
        summary="E-mail a password reset link",
    )
    def post(self, request: Request) -> Response:
        data = s.PasswordResetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_request(**data.validated_data)
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(AuthView):
    @extend_schema(
        tags=AUTH_TAG,
        request=s.PasswordResetConfirmInputSerializer,
        responses={204: OpenApiResponse(description="The password was set.")},
        summary="Set a new password with the uid and token from the e-mailed link",
    )
    def post(self, request: Request) -> Response:
        data = s.PasswordResetConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_confirm(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
