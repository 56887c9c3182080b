"""The site's home page in the sitemap: every language of the site, dated by what `/` shows."""

import datetime as dt

from django_tenants.utils import schema_context

from apps.content import services
from apps.content.models import Node
from apps.index import projections
from tests.content.factories import admin, make_node
from tests.content.test_sitemap import entries
from tests.site.factories import page, set_site

HOME = {"en": "http://alpha.test/", "ru": "http://alpha.test/?lang=ru"}


def changed_on(day: dt.date, node) -> None:
    """Make `node`'s last change `day`, and rebuild the documents as after such a change."""
    Node.objects.filter(pk=node.pk).update(updated_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))
    projections.rebuild(projections.get(f"content.{node.kind}"))


def test_the_home_is_listed_in_every_language_and_undated_while_nothing_is_published(reader_a):
    with schema_context("alpha"):
        page("Draft", status="draft")
    found = entries(reader_a)
    assert {address: found[address] for address in HOME.values()} == {
        address: {"lastmod": None, "alternates": HOME} for address in HOME.values()
    }


def test_on_a_russian_site_the_english_home_carries_the_language(reader_b):
    found = entries(reader_b)
    both = {"en": "http://beta.test/?lang=en", "ru": "http://beta.test/"}
    assert found["http://beta.test/"]["alternates"] == both
    assert found["http://beta.test/?lang=en"]["alternates"] == both


def test_the_default_home_is_as_new_as_the_newest_page_or_post_it_lists(reader_a):
    with schema_context("alpha"):
        about = page("About")
        post = make_node(kind="post", title="Hello", status="published")
        child = page("Team", parent=about)  # not on the home: only top-level pages are
        changed_on(dt.date(2024, 5, 6), about)
        changed_on(dt.date(2023, 1, 2), post)
        changed_on(dt.date(2025, 1, 1), child)
    found = entries(reader_a)
    assert found[HOME["en"]]["lastmod"] == found[HOME["ru"]]["lastmod"] == "2024-05-06"


def test_a_chosen_home_page_dates_the_home(reader_a):
    with schema_context("alpha"):
        welcome = page("Welcome")
        post = make_node(kind="post", title="Hello", status="published")
        set_site(home_page=welcome.pk)
        changed_on(dt.date(2023, 1, 2), welcome)
        changed_on(dt.date(2024, 5, 6), post)  # the home shows the page, not the newest posts
    assert entries(reader_a)[HOME["en"]]["lastmod"] == "2023-01-02"


def test_a_chosen_home_page_no_longer_published_leaves_the_default_homes_date(reader_a):
    with schema_context("alpha"):
        welcome = page("Welcome")
        post = make_node(kind="post", title="Hello", status="published")
        set_site(home_page=welcome.pk)
        changed_on(dt.date(2024, 5, 6), post)
        services.transition_node(actor=admin(), node=welcome, name="unpublish")
    assert entries(reader_a)[HOME["en"]]["lastmod"] == "2024-05-06"
