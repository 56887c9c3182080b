"""The tenant admin's view of the event bus: the outbox (read-only) and the dead letters, which
an admin can send to their handler again."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.events import services
from apps.events.models import DeadLetter, Delivery, OutboxEvent
from rustok.admin import ObjectPermissionsModelAdmin, ReadOnly, TabularInline
from rustok.permissions import require


class DeliveryInline(ReadOnly, TabularInline):
    model = Delivery
    fields = ["handler", "status", "attempts", "next_attempt_at", "updated_at"]
    readonly_fields = fields
    extra = 0


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnly, ObjectPermissionsModelAdmin):
    list_display = ["id", "type", "occurred_at", "state"]
    list_filter = ["type", ("dispatched_at", admin.EmptyFieldListFilter)]
    search_fields = ["type", "=uuid", "=request_id"]
    date_hierarchy = "occurred_at"
    readonly_fields = [
        "uuid",
        "type",
        "version",
        "payload",
        "request_id",
        "occurred_at",
        "next_attempt_at",
        "dispatched_at",
    ]
    inlines = [DeliveryInline]

    @admin.display(description=_("state"))
    def state(self, obj: OutboxEvent) -> str:
        return _("dispatched") if obj.dispatched_at else _("pending")


@admin.register(DeadLetter)
class DeadLetterAdmin(ObjectPermissionsModelAdmin):
    list_display = ["handler", "event_link", "attempts", "updated_at", "error_line"]
    list_filter = ["handler"]
    search_fields = ["handler", "event__type", "last_error"]
    readonly_fields = ["event", "handler", "status", "attempts", "last_error", "updated_at"]
    fields = readonly_fields
    actions = ["retry"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Delivery.Status.DEAD).select_related("event")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list's retry action needs "change"; a dead letter's own page is read-only.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("event"))
    def event_link(self, obj: Delivery) -> str:
        return format_html(
            '<a href="../outboxevent/{}/change/">{} #{}</a>', obj.event_id, obj.event.type, obj.event_id
        )

    @admin.display(description=_("error"))
    def error_line(self, obj: Delivery) -> str:
        lines = obj.last_error.strip().splitlines()
        return lines[-1][:160] if lines else ""

    @admin.action(description=_("Send again to the handler"), permissions=["change"])
    def retry(self, request, queryset):
        require(request.user, "events.retry_deliveries")
        count = services.retry_deliveries(queryset)
        self.message_user(
            request,
            ngettext("%d dead letter sent again.", "%d dead letters sent again.", count) % count,
            messages.SUCCESS,
        )
