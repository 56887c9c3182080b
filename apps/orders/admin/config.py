"""Admin of shipping zones and methods, tax rates, vouchers and order settings."""
