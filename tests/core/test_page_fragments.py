"""Parts of pages kept between requests (rustok.page_cache.fragment): computed once, served until
a tag they show changes, in one tenant only, and shown by the pages that show them."""

import pytest
from django.test import RequestFactory

from apps.core.models import Tenant
from rustok import page_cache
from rustok.resilience import UNAVAILABLE
from tests.conftest import ALPHA_HOST

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def request_of(schema: str = "alpha"):
    """A request of the tenant's site, as the tenant middleware leaves it."""
    request = RequestFactory().get("/", HTTP_HOST=ALPHA_HOST)
    request.tenant = Tenant.objects.get(schema_name=schema)
    return request


@pytest.fixture
def computed():
    """A part's computation that counts its calls and names the tag `thing#1` as it reads."""
    calls = []

    def compute(request, value="first"):
        def run():
            calls.append(value)
            page_cache.depends_on(request, "thing#1")
            return {"value": value}

        return run

    compute.calls = calls
    return compute


def part(request, compute, **kwargs):
    return page_cache.fragment(request, "test.part", compute, **kwargs)


def test_a_part_is_computed_once_and_kept_until_a_tag_it_shows_changes(computed):
    first = request_of()
    assert part(first, computed(first)) == {"value": "first"}
    again = request_of()
    assert part(again, computed(again, "second")) == {"value": "first"}  # kept: not computed
    page_cache.invalidate_tags(["other#2"], "alpha")
    assert part(request_of(), computed(again, "third")) == {"value": "first"}
    page_cache.invalidate_tags(["thing#1"], "alpha")
    assert part(request_of(), computed(again, "fourth")) == {"value": "fourth"}
    assert computed.calls == ["first", "fourth"]


def test_each_value_of_vary_and_each_tenant_is_kept_apart(computed, tenant_b):
    alpha = request_of()
    assert part(alpha, computed(alpha, "en"), vary=("en",)) == {"value": "en"}
    assert part(alpha, computed(alpha, "ru"), vary=("ru",)) == {"value": "ru"}
    beta = request_of("beta")
    assert part(beta, computed(beta, "beta"), vary=("en",)) == {"value": "beta"}
    page_cache.invalidate("beta")
    assert part(request_of(), computed(alpha, "again"), vary=("en",)) == {"value": "en"}


def test_the_page_shows_its_parts_tags_and_a_page_naming_none_stays_untagged(computed):
    request = request_of()
    part(request, computed(request), tags=["given"])
    # The view named nothing itself: every invalidation still drops its page.
    assert page_cache.tags_of(request) == {page_cache.UNTAGGED, "thing#1", "given"}
    kept = request_of()
    page_cache.depends_on(kept, "product#7")
    part(kept, computed(kept))  # served from what the first request kept, with its tags
    assert page_cache.tags_of(kept) == {"product#7", "thing#1", "given"}


def test_a_part_computed_while_a_tag_it_shows_changed_is_never_served(computed):
    request = request_of()

    def changed_meanwhile():
        page_cache.depends_on(request, "thing#1")
        page_cache.invalidate_tags(["thing#1"], "alpha")  # a write commits while it reads
        return "stale"

    assert part(request, changed_meanwhile) == "stale"
    again = request_of()
    assert part(again, computed(again, "fresh")) == {"value": "fresh"}


def test_asked_twice_in_one_request_it_is_read_once(computed, part_lookups):
    request = request_of()
    part(request, computed(request))
    part(request, computed(request))
    assert len(part_lookups) == 1 and computed.calls == ["first"]


def test_without_redis_or_turned_off_a_part_is_computed_every_time(computed, monkeypatch, settings):
    monkeypatch.setattr(page_cache, "through_redis", lambda *args, **kwargs: UNAVAILABLE)
    for number in range(2):
        request = request_of()
        assert part(request, computed(request, number)) == {"value": number}
        assert "thing#1" in page_cache.tags_of(request)  # its tags still named
    monkeypatch.undo()
    settings.FRAGMENT_CACHE = False
    for number in range(2, 4):
        request = request_of()
        assert part(request, computed(request, number)) == {"value": number}
    assert computed.calls == [0, 1, 2, 3]


def test_a_part_kept_by_another_release_of_the_code_is_not_read(computed, monkeypatch):
    request = request_of()
    part(request, computed(request, "old code"))
    monkeypatch.setattr(page_cache, "_release", lambda: "the next release")
    again = request_of()
    assert part(again, computed(again, "new code")) == {"value": "new code"}
