"""GraphQL of the orders module: the shop's shipping, taxes, vouchers and settings for managers
(apps.orders.schema.config); carts, checkout and orders (apps.orders.schema.shop); a customer's
address book (apps.orders.schema.address_book)."""

import graphene

from apps.orders.schema import address_book, config, shop


class Query(config.Query, shop.Query, address_book.Query, graphene.ObjectType):
    pass


class Mutation(config.Mutation, shop.Mutation, address_book.Mutation, graphene.ObjectType):
    pass


__all__ = ["Mutation", "Query"]
