"""The platform admin's site: mounted only by the platform host's URL conf (rustok.urls_public), so
a tenant's admin never lists the platform tables. Modules register their platform tables on it
in their admin.py (the core module its tenants, domains and module switches; the accounts module
the platform operators)."""

from rustok.admin_site import PlatformAdminSite

platform_admin = PlatformAdminSite(name="platform_admin")
