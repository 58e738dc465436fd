from typing import Any

from rest_framework import serializers

from marketplace.accounts.models import User


class UserOutputSerializer(serializers.ModelSerializer[User]):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "email", "date_joined")
        read_only_fields = fields


class SignupInputSerializer(serializers.Serializer[Any]):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": "Use letters, digits and @/./+/-/_ only."},
    )
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=128)


class LoginInputSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(trim_whitespace=False, max_length=128)


class SessionOutputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    user = UserOutputSerializer()


class PasswordChangeInputSerializer(serializers.Serializer[Any]):
    old_password = serializers.CharField(trim_whitespace=False, max_length=128)
    new_password = serializers.CharField(trim_whitespace=False, max_length=128)


class TokenOutputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class PasswordResetInputSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()


class PasswordResetConfirmInputSerializer(serializers.Serializer[Any]):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(trim_whitespace=False, max_length=128)
