"""The document table: one row per indexed object and language, searchable and faceted, and
holding in `data` everything a reader's page or list item shows of the object (the read model)."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """A denormalised, read-only copy of an object for readers' pages, lists and search, written
    by projections.

    Never edited by hand: `rustok index rebuild` recreates every row from the write side.
    """

    type = models.CharField(_("type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    # The PostgreSQL text search configuration of `language` (english, russian, simple).
    config = models.CharField(max_length=32)
    title = models.TextField(_("title"))
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("URL"), max_length=500, blank=True)
    # What a list item shows (search results and readers' lists: title aside, a summary, the
    # author, dates, taxonomy links, an image), and what the object's own page shows besides
    # (its HTML, SEO fields, languages): lists never load `detail`.
    data = models.JSONField(_("data"), default=dict, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    categories = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    tags = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    # What readers' pages select documents by, as "name:value" strings (a slug in a language,
    # a category or tag id, a parent): `keys__overlap` / `keys__contains` use the GIN index.
    keys = ArrayField(models.CharField(max_length=300), default=list, blank=True)
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    availability = models.CharField(max_length=30, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(_("indexed at"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["type", "object_id", "language"], name="index_one_document")
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="index_document_search"),
            GinIndex(fields=["categories"], name="index_document_categories"),
            GinIndex(fields=["tags"], name="index_document_tags"),
            GinIndex(fields=["keys"], name="index_document_keys"),
            models.Index(fields=["type", "language", "published_at"], name="index_document_listing"),
            # Readers' lists of one type, newest first (products: the catalogue's REST and
            # GraphQL lists): a page is the index's first entries, not a sort of every document.
            models.Index(
                F("type"),
                F("language"),
                F("published_at").desc(nulls_last=True),
                F("id").desc(),
                name="index_document_newest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type}:{self.object_id} ({self.language})"


# What a projection writes for a document besides its key (type, object_id, language).
WRITTEN_FIELDS = (
    "config",
    "title",
    "body",
    "url",
    "data",
    "detail",
    "categories",
    "tags",
    "keys",
    "price",
    "availability",
    "published_at",
    "indexed_at",
)
