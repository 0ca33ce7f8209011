from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models

from pressbox.accounts.models import AuthorProfile, User


class AuthorProfileInline(admin.StackedInline):
    model = AuthorProfile
    can_delete = False
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(User)
class PressboxUserAdmin(UserAdmin):
    inlines = [AuthorProfileInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff"]
