"""The shop's storefront pages of the orders module: the cart (`cart`), the checkout (`checkout`)
and an order's page (`order-view`), server-rendered, working without JavaScript.

Every answer is personal: sent with `Cache-Control: private, no-store` (`never_cache`), so the page
cache never keeps one and shows it to another shopper. The views are thin: they find the
shopper's cart (apps.orders.views.common), call the module's services as the REST API does, and
render what apps.orders.carts.priced says.
"""
