"""Who may change the site's settings: admins (and the owner)."""

import rules

from rustok.permissions import role_in

is_admin = role_in("admin")

rules.add_perm("site.change_settings", is_admin)

# The names the Django admin asks for.
rules.add_perm("site.view_sitesettings", is_admin)
rules.add_perm("site.change_sitesettings", is_admin)
rules.add_perm("site.view_sociallink", is_admin)
rules.add_perm("site.add_sociallink", is_admin)
rules.add_perm("site.change_sociallink", is_admin)
rules.add_perm("site.delete_sociallink", is_admin)
rules.add_perm("site", is_admin)
