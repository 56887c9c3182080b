"""Import and export of products from the admin: the product list's "Import products" and
"Export products" buttons, through apps.catalog.exchange (import_file, export_file).

Import asks for a CSV or XLSX file and whether to try it first (a dry run, the default), then
shows the report: products and variants created, updated and unchanged, the rows that change,
or every refused cell (row, column, reason) with nothing written. After a clean dry run the same
file is imported for real from the report's button: it is kept meanwhile in the cache (under the
site's keys, for IMPORT_KEEP_SECONDS), named by a token in the user's session. Both run in the
request (see docs/catalog.md for the speed); a file above CATALOG_IMPORT_MAX_BYTES is refused.
"""

from __future__ import annotations

import io
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.catalog.exchange import export_file, import_file
from apps.catalog.exchange.files import kind_of
from rustok.admin import themed

IMPORT_KEEP_SECONDS = 30 * 60
# The most rows of changes a report page lists (the counts cover them all).
SHOWN_ROWS = 500
KINDS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SESSION_KEY = "catalog_import"


def max_bytes() -> int:
    return settings.CATALOG_IMPORT_MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("CSV (UTF-8) or XLSX, as the export writes them."))
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, writing nothing"),
        required=False,
        initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or an .xlsx file."))
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file has %(size)s MB; at most %(limit)s MB are imported at once. Split it.")
                % {"size": f"{upload.size / 1_000_000:.1f}", "limit": f"{max_bytes() / 1_000_000:g}"}
            )
        return upload


def _kept_key(token: str) -> str:
    return f"catalog:import:{token}"


def _keep(request, upload) -> str:
    """Keep the file of a clean dry run for the import that follows; its token."""
    token = secrets.token_urlsafe(24)
    upload.seek(0)
    cache.set(_kept_key(token), {"name": upload.name, "data": upload.read()}, IMPORT_KEEP_SECONDS)
    request.session[SESSION_KEY] = token
    return token


def _kept(request, token: str) -> dict | None:
    """The kept file for `token`, if it is this user's and still there."""
    if not token or request.session.get(SESSION_KEY) != token:
        return None
    return cache.get(_kept_key(token))


def import_view(model_admin, request):
    """The import page and its report."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Import products"),
        "opts": model_admin.opts,
        "limit_mb": f"{max_bytes() / 1_000_000:g}",
    }
    if request.method == "POST" and request.POST.get("token"):
        kept = _kept(request, request.POST["token"])
        if kept is None:
            model_admin.message_user(
                request, _("The checked file is no longer kept; choose it again."), messages.WARNING
            )
            form = themed(ImportForm)()
        else:
            report = import_file(
                io.BytesIO(kept["data"]), actor=request.user, name=kept["name"], dry_run=False
            )
            if report.written:
                cache.delete(_kept_key(request.POST["token"]))
                request.session.pop(SESSION_KEY, None)
            return _report(request, context, report, kept["name"], token=None)
    elif request.method == "POST":
        form = themed(ImportForm)(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            dry_run = form.cleaned_data["dry_run"]
            report = import_file(upload, actor=request.user, name=upload.name, dry_run=dry_run)
            token = _keep(request, upload) if report.ok and dry_run else None
            return _report(request, context, report, upload.name, token=token)
    else:
        form = themed(ImportForm)()
    return TemplateResponse(request, "admin/catalog/product_import.html", {**context, "form": form})


def _report(request, context, report, name: str, *, token: str | None):
    changes = [change for change in report.changes if change.action != "unchanged"]
    counts = [
        (_("products"), [report.products.get(action, 0) for action in ("created", "updated", "unchanged")]),
        (_("variants"), [report.variants.get(action, 0) for action in ("created", "updated", "unchanged")]),
    ]
    return TemplateResponse(
        request,
        "admin/catalog/product_import.html",
        {
            **context,
            "title": _("Import products: report"),
            "report": report,
            "file_name": name,
            "counts": counts,
            "changes": changes[:SHOWN_ROWS],
            "more_changes": max(len(changes) - SHOWN_ROWS, 0),
            "errors": report.errors[:SHOWN_ROWS],
            "more_errors": max(len(report.errors) - SHOWN_ROWS, 0),
            "token": token,
        },
    )


def export_response(request, kind: str) -> HttpResponse:
    """Every product as a file to download (CSV or XLSX), written in the request."""
    name = f"products-{request.tenant.schema_name}-{timezone.now():%Y%m%d-%H%M}.{kind}"
    buffer = io.BytesIO()
    export_file(buffer, actor=request.user, name=name)
    response = HttpResponse(buffer.getvalue(), content_type=KINDS[kind_of(name)])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
