"""The catalogue in the tenant admin, in the "Shop" section (the module's `admin_group`).

The admins register in the order the section lists them: products and variants, then what
groups them (categories, collections), what shapes them (types, attributes), tax classes and the
shop's currencies. Every write goes through apps.catalog.services.
"""

# isort: off
from apps.catalog.admin import products  # noqa: F401  (registers first: the section's order)
from apps.catalog.admin import groups  # noqa: F401
from apps.catalog.admin import types  # noqa: F401
from apps.catalog.admin import shop  # noqa: F401

# isort: on
