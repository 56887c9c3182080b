"""Anyone reads notes; editors (and admins, owners) write them, in every interface."""

import rules

from rustok.permissions import role_in

writes_notes = role_in("editor", "admin")

rules.add_perm("notes.change_note", writes_notes)
# The names the Django admin asks for.
rules.add_perm("notes.view_note", writes_notes)
rules.add_perm("notes.add_note", writes_notes)
rules.add_perm("notes.delete_note", writes_notes)
rules.add_perm("notes", writes_notes)
