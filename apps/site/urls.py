"""Storefront addresses of the site module, at the root of each site's host."""

from django.urls import path

from apps.site import views

urlpatterns = [
    path("", views.home, name="site-home"),
    path("robots.txt", views.robots, name="site-robots"),
    path("favicon.ico", views.favicon, name="site-favicon"),
]
