"""The storefront's search page: results, highlights, filters, pages, empty states, languages."""

import re
from html.parser import HTMLParser

import pytest
from django_tenants.utils import schema_context

from apps.core.services import set_module_enabled
from apps.events import services as bus
from tests.conftest import deliver
from tests.content.factories import make_category, make_node, make_tag
from tests.testapps.notes.services import create_note

HTML = {"HTTP_ACCEPT": "text/html"}


def notes(schema: str, *fields: dict) -> list:
    """Notes made through their service and indexed, as a worker would."""
    with schema_context(schema):
        made = [create_note(**f) for f in fields]
        bus.relay()
    return made


class Page(HTMLParser):
    """The parts of a search page a reader sees: result titles and links, and every start tag."""

    def __init__(self, html: str):
        super().__init__()
        self.tags, self.titles, self._in_result_title = [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "a" and self.tags[-2][0] == "h2":
            self._in_result_title = True
            self.titles.append(["", attrs["href"]])

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_result_title = False

    def handle_data(self, data):
        if self._in_result_title:
            self.titles[-1][0] += data

    def first(self, tag: str, **attrs) -> dict | None:
        return next(
            (a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())), None
        )


def get(client, status: int = 200, **params):
    response = client.get("/search/", params, **HTML)
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def titles(response) -> list[str]:
    return [title for title, _href in Page(response.content.decode()).titles]


def status_text(response) -> str:
    match = re.search(r'role="status">(.*?)</p>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def test_results_show_title_link_kind_date_and_highlighted_snippet(client_a):
    with schema_context("alpha"):
        post = make_node(
            kind="post", title="Green tea", body="How to brew green tea well.", status="published"
        )
    deliver("alpha")
    response = get(client_a, q="brew")
    html = response.content.decode()
    assert Page(html).titles == [["Green tea", "/blog/green-tea/"]]
    assert "<mark>brew</mark> green tea" in html
    assert '<span class="kind">Post</span>' in html
    assert f'datetime="{post.published_at.isoformat()}"' in html
    assert status_text(response) == "1 result"
    assert '<meta name="robots" content="noindex">' in html
    assert '<ol class="search-results"' in html


def test_highlights_are_escaped_but_for_the_marks(client_a):
    notes("alpha", {"text": "Use <script>alert(1)</script> for <b>gardens</b> & lawns"})
    html = get(client_a, q="garden").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    assert "<mark>gardens</mark>" in snippet
    assert "&amp; lawns" in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0


def test_the_search_input_is_labelled_and_keeps_the_query(client_a):
    page = Page(get(client_a, q="rare words").content.decode())
    field = page.first("input", name="q")
    assert field["value"] == "rare words"
    assert page.first("label", **{"for": field["id"]}) is not None
    assert page.first("form", role="search") is not None


def test_a_category_filter_narrows_the_results_and_can_be_removed(client_a):
    with schema_context("alpha"):
        tips, news = make_category(name="Tips"), make_category(name="News")
        make_node(kind="post", title="Garden tips", status="published", categories=[tips])
        make_node(kind="post", title="Garden news", status="published", categories=[news])
    deliver("alpha")
    everything = get(client_a, q="garden")
    assert sorted(titles(everything)) == ["Garden news", "Garden tips"]
    page = Page(everything.content.decode())
    box = page.first("input", type="checkbox", name="category", value="Tips")
    assert box is not None and "checked" not in box

    narrowed = get(client_a, q="garden", category="Tips")
    assert titles(narrowed) == ["Garden tips"]
    page = Page(narrowed.content.decode())
    assert "checked" in page.first("input", type="checkbox", name="category", value="Tips")
    # the other category is still offered, with its count
    assert page.first("input", type="checkbox", name="category", value="News") is not None
    remove = page.first("a", **{"aria-label": "Remove filter Tips"})
    assert remove["href"] == "/search/?q=garden"
    assert sorted(titles(client_a.get(remove["href"], **HTML))) == ["Garden news", "Garden tips"]


def test_kind_and_tag_filters_narrow_the_results(client_a):
    with schema_context("alpha"):
        tea = make_tag(name="tea")
        make_node(kind="post", title="Tea post", status="published", tags=[tea])
        make_node(kind="page", title="Tea page", status="published")
    deliver("alpha")
    html = get(client_a, q="tea").content.decode()
    assert sorted(titles(get(client_a, q="tea"))) == ["Tea page", "Tea post"]
    # kinds by their names, tags as written
    assert 'value="page"> Page <span class="count">(1)</span>' in html
    assert 'value="tea"> tea <span class="count">(1)</span>' in html
    assert titles(get(client_a, q="tea", type="page")) == ["Tea page"]
    assert titles(get(client_a, q="tea", tag="tea")) == ["Tea post"]
    # filters alone, without words, are a search too
    assert titles(get(client_a, tag="tea")) == ["Tea post"]


def test_results_come_in_pages_that_keep_the_query_and_filters(client_a):
    notes("alpha", *({"text": f"garden number {n}", "category": "tips"} for n in range(25)))
    first = get(client_a, q="garden", category="tips")
    assert status_text(first) == "25 results · page 1 of 3"
    assert len(titles(first)) == 10
    page = Page(first.content.decode())
    assert page.first("a", **{"aria-current": "page"})["href"] == "/search/?q=garden&category=tips&page=1"
    assert page.first("a", rel="next")["href"] == "/search/?q=garden&category=tips&page=2"
    assert page.first("a", rel="prev") is None

    last = get(client_a, q="garden", category="tips", page=3)
    assert len(titles(last)) == 5
    page = Page(last.content.decode())
    assert page.first("a", rel="prev")["href"] == "/search/?q=garden&category=tips&page=2"
    assert page.first("a", rel="next") is None
    assert page.first("ol", **{"class": "search-results"})["start"] == "21"
    seen = (
        set(titles(first))
        | set(titles(get(client_a, q="garden", category="tips", page=2)))
        | set(titles(last))
    )
    assert len(seen) == 25


@pytest.mark.parametrize("number", ["abc", "0", "-2", ""])
def test_a_page_number_that_is_not_one_shows_the_first_page(client_a, number):
    notes("alpha", {"text": "garden"})
    assert titles(get(client_a, q="garden", page=number)) == ["garden"]


def test_a_page_past_the_last_is_a_404(client_a):
    notes("alpha", {"text": "garden"})
    get(client_a, 404, q="garden", page=2)
    get(client_a, 404, q="garden", page=10**12)


def test_without_words_the_page_says_what_to_do(client_a):
    notes("alpha", {"text": "garden"})
    for params in ({}, {"q": ""}, {"q": "   "}):
        html = get(client_a, **params).content.decode()
        assert "Type one or more words" in html
        assert 'class="search-result"' not in html


def test_no_results_says_so_with_a_hint(client_a):
    notes("alpha", {"text": "garden"})
    response = get(client_a, q="zebra")
    assert status_text(response) == "0 results"
    html = response.content.decode()
    assert "Nothing matches “zebra”." in html
    assert "Try fewer words" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 201}, "Ensure this value has at most 200 characters"),
        ({"q": "a\x00b"}, "Null characters are not allowed."),
        ({"q": "a", "type": "nonsense"}, "No such kind of result: nonsense."),
        ({"q": "a", "tag": [f"t{n}" for n in range(21)]}, "Choose at most 20 values."),
    ],
)
def test_bad_input_is_a_400_page_that_says_what_is_wrong(client_a, params, message):
    html = get(client_a, 400, **params).content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html


def test_the_page_speaks_russian_and_finds_russian_words(client_a):
    with schema_context("alpha"):
        make_node(
            kind="post",
            status="published",
            texts={
                "en": {"title": "Cats", "body": "Cats walk"},
                "ru": {"title": "Кошки", "body": "Кошки гуляли по крышам"},
            },
        )
    deliver("alpha")
    response = get(client_a, q="крыша", lang="ru")
    html = response.content.decode()
    assert titles(response) == ["Кошки"]
    assert '<html lang="ru">' in html
    assert "<h1>Поиск</h1>" in html
    assert status_text(response) == "1 результат"
    assert "<mark>крышам</mark>" in html
    assert "Введите" in get(client_a, lang="ru").content.decode()
    assert "Ничего не найдено" in get(client_a, q="собака", lang="ru").content.decode()


def test_the_language_links_keep_the_search(client_a):
    page = Page(get(client_a, q="tea", category="Tips").content.decode())
    assert page.first("a", hreflang="ru")["href"] == "/search/?q=tea&category=Tips&lang=ru"


def test_another_sites_documents_are_never_shown(client_a, client_b):
    notes("beta", {"text": "secret garden of beta"})
    notes("alpha", {"text": "public garden of alpha"})
    assert titles(get(client_a, q="garden")) == ["public garden of alpha"]
    assert titles(get(client_b, q="garden")) == ["secret garden of beta"]


def test_posts_leave_the_page_with_the_blog(client_a, tenant_a):
    with schema_context("alpha"):
        make_node(kind="post", title="Tea post", status="published")
        make_node(kind="page", title="Tea page", status="published")
    deliver("alpha")
    set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    deliver("alpha")
    assert titles(get(client_a, q="tea")) == ["Tea page"]
    get(client_a, 400, q="tea", type="post")


def test_the_page_is_gated_by_the_index_module(client_a, monkeypatch):
    from rustok.modules import gate

    monkeypatch.setattr(gate, "module_enabled_for", lambda request, slug: slug != "index")
    get(client_a, 404, q="tea")


def test_the_page_takes_a_fixed_number_of_queries(client_a, django_assert_max_num_queries):
    notes("alpha", *({"text": f"shoe {n}", "category": f"c{n}", "tags": "a,b"} for n in range(30)))
    get(client_a, q="shoe")  # the site and module toggles are cached now
    # Routing (the search path), the count, one per facet (3) and the page, and the site's frame
    # (settings, social links, menu: 3): none grows with the documents.
    with django_assert_max_num_queries(10):
        response = get(client_a, q="shoe", category=["c1", "c2"], page=1)
    assert status_text(response) == "2 results"


def test_the_language_links_of_a_later_page_lead_to_the_first_page(client_a):
    """Another language may have fewer results: its page 3 may not exist (a 404 a reader would
    follow), so the language links start the search over on the first page."""
    notes("alpha", *({"text": f"tea number {n}"} for n in range(12)))
    page = Page(get(client_a, q="tea", page="2").content.decode())
    assert page.first("a", hreflang="ru")["href"] == "/search/?q=tea&lang=ru"
