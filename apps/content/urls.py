"""Storefront addresses of the content module, mounted at the root of each site's host."""

from django.urls import path

from apps.content import views

urlpatterns = [
    path("pages/<str:slug>/", views.page, name="content-page"),
    path("preview/<str:token>/", views.preview, name="content-preview"),
]
