"""GraphQL of the orders module: the shop's shipping, taxes, vouchers and settings for managers
(apps.orders.schema.config); carts, checkout and orders (apps.orders.schema.shop)."""

import graphene

from apps.orders.schema import config, shop


class Query(config.Query, shop.Query, graphene.ObjectType):
    pass


class Mutation(config.Mutation, shop.Mutation, graphene.ObjectType):
    pass


__all__ = ["Mutation", "Query"]
