"""REST of the shop's shipping zones and methods, tax rates, vouchers and order settings."""

urlpatterns: list = []
