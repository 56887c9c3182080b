"""Who may see a site's events and dead letters, and send dead letters to their handlers again."""

import rules

from rustok.permissions import role_in

is_admin = role_in("admin")

rules.add_perm("events.view_events", is_admin)
rules.add_perm("events.retry_deliveries", is_admin)

# The names the Django admin asks for.
rules.add_perm("events.view_outboxevent", is_admin)
rules.add_perm("events.view_deadletter", is_admin)
rules.add_perm("events.view_delivery", is_admin)  # the deliveries shown on an event's page
rules.add_perm("events.change_deadletter", is_admin)  # the retry action
rules.add_perm("events", is_admin)
