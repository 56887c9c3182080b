"""GraphQL of the catalogue: products with their variants, prices, images, stock and attributes,
categories, collections, product types, attributes and the shop's currencies.

Readers (without `catalog.view_catalog`) get active products only, from their documents
(apps.catalog.schema.documents), without cost prices or stock counts; managers and admins read
the write side, drafts and archived products included, and write it through the mutations, one
per use case (apps.catalog.schema.mutations), each calling a service. Relations are read by the
request's loaders (rustok.dataloaders): one query per relation a page asks, whatever its length.
"""

from apps.catalog.schema.mutations import Mutation
from apps.catalog.schema.queries import Query

__all__ = ["Mutation", "Query"]
