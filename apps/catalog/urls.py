"""Storefront addresses of the catalogue, mounted at the root of each site's host (off: 404)."""

from django.urls import path

from apps.catalog import views

urlpatterns = [
    path("shop/products/<str:slug>/", views.product, name="shop-product"),
]
