from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from marketplace.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "is_staff", "is_active", "date_joined", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "date_joined")
    search_fields = ("username", "email", "first_name", "last_name", "public_id")
    readonly_fields = ("public_id", "date_joined", "last_login")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Marketplace", {"fields": ("public_id",)}))  # type: ignore[misc]
