"""Storefront address of the index module, at the root of each site's host: the search page."""

from django.urls import path

from apps.index import views

urlpatterns = [path("search/", views.search, name="index-search")]
