"""Storefront pages of the catalogue, read from the product documents (apps.index): the product
page (`product`) and the shop's lists (`listing`: the shop, categories, collections, search)."""
