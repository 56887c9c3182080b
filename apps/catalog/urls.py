"""Storefront addresses of the catalogue, mounted at the root of each site's host (off: 404)."""

from django.urls import path

from apps.catalog.views import product

urlpatterns = [
    path("shop/products/<str:slug>/", product.product, name="shop-product"),
]
