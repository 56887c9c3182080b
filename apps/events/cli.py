"""`rustok events status|relay|replay|dead-letters`: the operator's view of the event bus."""

from __future__ import annotations

import json

from django_tenants.utils import schema_context

from apps.events import selectors, services
from apps.events.models import Delivery
from rustok.cli import CommandGroup, Output, parse_since


def _age(seconds: float) -> str:
    if seconds <= 0:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"


class EventsCommands(CommandGroup):
    name = "events"
    help = "Outbox backlog, relaying, replaying and dead letters of the event bus."

    def add_actions(self, actions) -> None:
        status = actions.add_parser("status", help="Pending events, the oldest one's age and dead letters.")
        status.add_argument(
            "--tenant", help="Only this tenant (slug; 'public' for the platform's own events)."
        )
        status.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")

        relay = actions.add_parser("relay", help="Deliver the due events now, in this process.")
        relay.add_argument("--tenant", help="Only this tenant (slug).")

        replay = actions.add_parser(
            "replay", help="Deliver past events again (their handlers apply them once more)."
        )
        replay.add_argument("--tenant", help="Only this tenant (slug).")
        replay.add_argument("--since", required=True, help="From this date, datetime or age (2h, 3d).")
        replay.add_argument("--until", help="Before this date, datetime or age.")
        replay.add_argument("--type", action="append", dest="types", default=[], help="Only this event type.")
        replay.add_argument("--handler", help="Only to this handler (its name as in dead-letters).")
        replay.add_argument(
            "--queue", action="store_true", help="Leave delivery to the workers instead of this process."
        )

        dead = actions.add_parser("dead-letters", help="List dead letters; --retry sends them again.")
        dead.add_argument("--tenant", help="Only this tenant (slug).")
        dead.add_argument("--since", help="Only those that failed since this date, datetime or age.")
        dead.add_argument("--handler", help="Only this handler.")
        dead.add_argument("--retry", action="store_true", help="Send them to their handlers again, now.")
        dead.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")

    def status(self, out: Output, tenant=None, as_json=False, **_options) -> None:
        states = selectors.outbox_states(selectors.schemas_for(tenant, with_public=True))
        if as_json:
            out.line(
                json.dumps(
                    [
                        {
                            "tenant": s.schema_name,
                            "pending": s.pending,
                            "oldest_pending": s.oldest_pending.isoformat() if s.oldest_pending else None,
                            "lag_seconds": round(s.lag_seconds, 1),
                            "dead_letters": s.dead_letters,
                        }
                        for s in states
                    ],
                    indent=2,
                )
            )
            return
        out.table(
            ["TENANT", "PENDING", "OLDEST", "DEAD LETTERS"],
            [[s.schema_name, s.pending, _age(s.lag_seconds), s.dead_letters] for s in states],
        )
        out.line(
            f"{sum(s.pending for s in states)} pending, {sum(s.dead_letters for s in states)} dead letter(s) "
            f"in {len(states)} outbox(es)"
        )

    def _relay(self, out: Output, schema_name: str) -> services.RelayResult:
        progress = out.progress(f"{schema_name}: delivering")
        result = services.relay_all(progress=progress)
        progress.close()
        for error in result.errors[:5]:
            out.line(f"    failed: {error}")
        if len(result.errors) > 5:
            out.line(f"    ... and {len(result.errors) - 5} more failure(s)")
        return result

    def relay(self, out: Output, tenant=None, **_options) -> None:
        total = services.RelayResult()
        for schema_name in selectors.schemas_for(tenant, with_public=True):
            with schema_context(schema_name):
                if not selectors.has_due_events():
                    continue
                total.add(self._relay(out, schema_name))
        out.line(
            f"{total.events} event(s) looked at, {total.applied} handler run(s) applied, "
            f"{total.failed} failed, {total.dead} now dead letters"
        )

    def replay(
        self, out: Output, since, tenant=None, until=None, types=(), handler=None, queue=False, **_options
    ):
        start, end = parse_since(since), parse_since(until) if until else None
        for schema_name in selectors.schemas_for(tenant, with_public=True):
            with schema_context(schema_name):
                count = services.replay(since=start, until=end, types=types, handler=handler)
                out.step(f"{schema_name}: {count} event(s) to deliver again")
                if count and not queue:
                    self._relay(out, schema_name)

    def dead_letters(
        self, out: Output, tenant=None, since=None, handler=None, retry=False, as_json=False, **_options
    ) -> None:
        rows = []
        for schema_name in selectors.schemas_for(tenant, with_public=True):
            with schema_context(schema_name):
                dead = Delivery.objects.filter(status=Delivery.Status.DEAD).select_related("event")
                if since:
                    dead = dead.filter(updated_at__gte=parse_since(since))
                if handler:
                    dead = dead.filter(handler=handler)
                found = list(dead.order_by("event_id"))
                rows.extend((schema_name, d) for d in found)
                if retry and found:
                    count = services.retry_deliveries(found)
                    out.step(f"{schema_name}: {count} dead letter(s) sent again")
                    self._relay(out, schema_name)
        if retry:
            return
        if as_json:
            out.line(
                json.dumps(
                    [
                        {
                            "tenant": schema_name,
                            "event_id": d.event_id,
                            "type": d.event.type,
                            "handler": d.handler,
                            "attempts": d.attempts,
                            "failed_at": d.updated_at.isoformat(),
                            "error": d.last_error.strip().splitlines()[-1] if d.last_error.strip() else "",
                        }
                        for schema_name, d in rows
                    ],
                    indent=2,
                )
            )
            return
        out.table(
            ["TENANT", "EVENT", "TYPE", "HANDLER", "ATTEMPTS", "FAILED AT", "ERROR"],
            [
                [
                    schema_name,
                    d.event_id,
                    d.event.type,
                    d.handler,
                    d.attempts,
                    d.updated_at.strftime("%Y-%m-%d %H:%M"),
                    (d.last_error.strip().splitlines() or [""])[-1][:80],
                ]
                for schema_name, d in rows
            ],
        )
        out.line(f"{len(rows)} dead letter(s)")


group = EventsCommands()
