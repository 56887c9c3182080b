"""Who may look at the search documents in the admin (search itself is public)."""

import rules

from rustok.permissions import role_in

is_admin = role_in("admin")

rules.add_perm("index.view_document", is_admin)
rules.add_perm("index", is_admin)
