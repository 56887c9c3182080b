"""Admin of orders and carts."""
