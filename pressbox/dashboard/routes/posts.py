"""Dashboard routes: posts section (names live in the dashboard namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
