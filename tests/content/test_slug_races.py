"""Two writers may both pass the slug check before either commits; the second then breaks the
unique constraint. Categories and tags answer that as nodes do: the 400 of a taken slug, naming
the slug, never a 500. The race is made deterministic by letting the check see no other rows
(as a writer does that cannot see the other's uncommitted one)."""

from unittest import mock

import pytest
from django_tenants.utils import schema_context

from apps.content import services
from apps.content.models import Category, Tag
from rustok.errors import InvalidInput
from rustok.texts import fill_slugs
from tests.accounts.factories import SiteAdminFactory
from tests.conftest import problem_of, signed_in
from tests.content.factories import make_category, make_tag

pytestmark = pytest.mark.django_db

CATEGORIES = "/api/v1/content/categories/"
TAGS = "/api/v1/content/tags/"


def check_seeing_no_other_rows(obj, *, source, scope, required):
    fill_slugs(obj, source=source, scope=scope.none(), required=required)


def racing():
    return mock.patch("rustok.texts.fill_slugs", check_seeing_no_other_rows)


@pytest.fixture
def admin_a(tenant_a):
    with schema_context("alpha"):
        user = SiteAdminFactory()
    return signed_in(tenant_a, user)


def errors_of(response) -> tuple[str, list[str]]:
    body = problem_of(response, 400)
    return body["code"], sorted(error["field"] for error in body["errors"])


@pytest.mark.parametrize(
    ("url", "make"), [(CATEGORIES, make_category), (TAGS, make_tag)], ids=["category", "tag"]
)
def test_a_slug_taken_by_a_concurrent_writer_is_the_400_of_a_taken_slug(admin_a, url, make):
    with schema_context("alpha"):
        make(name="News")
    body = {"name": "News again", "slug": "news"}
    checked = errors_of(admin_a.post(url, body, content_type="application/json"))
    with racing():
        raced = errors_of(admin_a.post(url, body, content_type="application/json"))
    assert raced == checked == ("invalid", ["slug"])
    with schema_context("alpha"):
        model = Category if url == CATEGORIES else Tag
        assert model.objects.count() == 1  # nothing half-written


@pytest.mark.parametrize("kind", ["category", "tag"])
def test_renaming_to_a_slug_taken_meanwhile_is_refused_naming_the_slug(tenant_a, kind):
    make, update = (
        (make_category, services.update_category) if kind == "category" else (make_tag, services.update_tag)
    )
    with schema_context("alpha"):
        make(name="News")
        other = make(name="Sport")
        with racing(), pytest.raises(InvalidInput) as refused:
            update(actor=SiteAdminFactory(), **{kind: other}, texts={"en": {"name": "Sport", "slug": "news"}})
        assert refused.value.errors.keys() == {"slug_en"}
        other.refresh_from_db()
        assert other.slug_en == "sport"
