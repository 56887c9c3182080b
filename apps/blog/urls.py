"""Storefront addresses of the blog, mounted at the root of each site's host (off: 404)."""

from django.urls import path, re_path

from apps.blog import feeds, views

rss = feeds.PostsFeed()
atom = feeds.AtomPostsFeed()

urlpatterns = [
    path("blog/", views.index, name="blog-index"),
    path("blog/feed/rss/", rss, name="blog-feed-rss"),
    path("blog/feed/atom/", atom, name="blog-feed-atom"),
    re_path(r"^blog/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", views.archive, name="blog-archive"),
    path("blog/category/<str:slug>/", views.category, name="blog-category"),
    path("blog/category/<str:slug>/feed/rss/", rss, name="blog-category-feed-rss"),
    path("blog/category/<str:slug>/feed/atom/", atom, name="blog-category-feed-atom"),
    path("blog/tag/<str:slug>/", views.tag, name="blog-tag"),
    path("blog/<str:slug>/", views.post, name="blog-post"),
]
