"""The storefront layout's variables for every template: `site` (apps.site.frame.Frame), lazy."""

from apps.site.frame import Frame


def site(request) -> dict:
    """`site`: the site's name, settings, menu, feeds and languages, read only if a template asks.

    Only on a tenant's host; the platform host (public schema) has no site settings.
    """
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(tenant, "is_public", True):
        return {}
    return {"site": Frame(request)}
