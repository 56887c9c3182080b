"""REST of carts, checkout and orders."""

urlpatterns: list = []
