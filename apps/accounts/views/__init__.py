"""The customer's account on the storefront: sign-in, sign-up, passwords, the account's pages.

`pages` holds what every account page shares (signed in, never cached, its sections), for the
other modules' account pages too (orders); `account` holds this module's own pages.
"""
