"""Storefront addresses of the catalogue, mounted at the root of each site's host (off: 404)."""

from django.urls import path

from apps.catalog.views import listing, product

urlpatterns = [
    path("shop/", listing.shop, name="shop-index"),
    path("shop/categories/<str:slug>/", listing.category, name="shop-category"),
    path("shop/collections/<str:slug>/", listing.collection, name="shop-collection"),
    path("shop/products/<str:slug>/", product.product, name="shop-product"),
]
