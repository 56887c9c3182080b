"""The page cache's near copy (rustok.near_cache): a web process serves the entries it read or
stored again without asking Redis, until an invalidation touches them (its own at once, another
process's when Redis pushes it) or the subscription that brings invalidations is lost."""

import pickle
import threading
import time

import pytest
import redis
from django.test import RequestFactory

from rustok import page_cache
from tests.conftest import BETA_HOST, wait_until

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def near(page_cache_on, settings):
    """The process's near copy on (the test settings turn it off), empty, its subscription live."""
    settings.PAGE_CACHE_NEAR_BYTES = 32 * 1024 * 1024
    copy = page_cache._near()
    copy.clear()

    def subscribed():
        """the near copy's subscription is live on the `pages` cache's Redis"""
        return copy.location == page_cache._location()

    wait_until(subscribed, timeout=10)
    return copy


@pytest.fixture
def redis_commands(monkeypatch) -> list:
    """The Redis commands the test's own thread sends (not the subscriber's pings)."""
    sent = []
    real = redis.connection.Connection.send_packed_command
    test_thread = threading.get_ident()

    def send(self, command, check_health=True):
        if threading.get_ident() == test_thread:
            sent.append(command)
        return real(self, command, check_health)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", send)
    return sent


def shows(monkeypatch, *tags):
    """Pages name `tags` as what they show (as a view does with page_cache.depends_on)."""
    monkeypatch.setattr(page_cache, "tags_of", lambda request: frozenset(tags))


def invalidated_elsewhere(near, tags, schema_name: str = "alpha") -> None:
    """`invalidate_tags` as another web process makes it: in Redis, then pushed to this process,
    whose copies it reaches when the message is handled (waited for here)."""
    before = near.received
    with pytest.MonkeyPatch.context() as elsewhere:
        elsewhere.setattr(page_cache, "near_copy", lambda: None)  # not this process's own
        page_cache.invalidate_tags(tags, schema_name)

    def handled():
        """the invalidation's message reached the near copy"""
        return near.received > before

    wait_until(handled, timeout=2)


def states(wsgi, count: int, path: str = "/blog/", **headers) -> list[str]:
    return [wsgi(path, **headers).headers["X-Cache"] for _ in range(count)]


def test_a_hit_of_a_page_this_process_stored_asks_redis_nothing(near, wsgi, redis_commands):
    assert states(wsgi, 1) == ["miss"]
    redis_commands.clear()
    assert states(wsgi, 2) == ["hit", "hit"]
    assert redis_commands == []


def test_a_page_another_process_stored_is_asked_from_redis_once(near, wsgi, redis_asked):
    states(wsgi, 1)
    near.clear()  # as a process that has not read it
    redis_asked.clear()
    assert (states(wsgi, 3), len(redis_asked)) == (["hit", "hit", "hit"], 1)


def test_another_processs_invalidation_drops_the_copies_it_touches(near, wsgi, monkeypatch, redis_asked):
    shows(monkeypatch, "product#1")
    assert states(wsgi, 2) == ["miss", "hit"]
    redis_asked.clear()
    invalidated_elsewhere(near, ["product#2"])
    assert (states(wsgi, 1), len(redis_asked)) == (["hit"], 0)  # another product: still the copy
    invalidated_elsewhere(near, ["product#1"])
    assert (states(wsgi, 2), len(redis_asked)) == (["miss", "hit"], 1)


def test_this_processs_own_invalidation_drops_its_copies_at_once(near, wsgi, monkeypatch):
    shows(monkeypatch, "product#1")
    assert states(wsgi, 2) == ["miss", "hit"]
    page_cache.invalidate_tags(["product#1"], "alpha")  # no message waited for
    assert states(wsgi, 2) == ["miss", "hit"]


def test_invalidating_a_whole_site_drops_its_copies_not_another_sites(near, wsgi, redis_asked):
    assert states(wsgi, 2) == ["miss", "hit"]
    assert states(wsgi, 2, host=BETA_HOST) == ["miss", "hit"]
    redis_asked.clear()
    invalidated_elsewhere(near, [page_cache.ALL])
    assert (states(wsgi, 1), states(wsgi, 1, host=BETA_HOST)) == (["miss"], ["hit"])
    assert len(redis_asked) == 1  # alpha's page only


def test_an_entry_read_before_an_invalidation_of_its_tags_arrived_is_not_copied(
    near, wsgi, monkeypatch, redis_asked
):
    shows(monkeypatch, "product#1")
    states(wsgi, 1)
    near.clear()
    real = page_cache._look_up_script

    def invalidated_meanwhile(keys, args):
        # Read at the tenant's sequence L; an invalidation above L is received before the copy.
        found = real(keys, args)
        invalidated_elsewhere(near, ["product#1"])
        return found

    monkeypatch.setattr(page_cache, "_look_up_script", invalidated_meanwhile)
    assert states(wsgi, 1) == ["hit"]  # it was the answer when it was read
    monkeypatch.setattr(page_cache, "_look_up_script", real)
    assert states(wsgi, 1) == ["miss"]  # not served from a copy: asked again, and dropped


def test_a_page_rendered_while_a_tag_it_shows_changed_is_not_copied(near, wsgi, monkeypatch):
    def changed_meanwhile(request):
        # After the lookup, before the answer is stored: another process invalidated the product.
        invalidated_elsewhere(near, ["product#1"])
        return frozenset({"product#1"})

    monkeypatch.setattr(page_cache, "tags_of", changed_meanwhile)
    assert states(wsgi, 1) == ["miss"]
    shows(monkeypatch, "product#1")
    assert states(wsgi, 2) == ["miss", "hit"]  # stored, neither served nor copied


def ask_part(tenant, name: str, value, computed: list):
    """The part `name` of a new request to the tenant (page_cache.fragment), noting each compute."""
    request = RequestFactory().get("/")
    request.tenant = tenant

    def compute():
        computed.append(name)
        return value

    return page_cache.fragment(request, name, compute)


def test_a_part_of_a_page_read_in_two_requests_is_looked_up_in_redis_once(near, tenant_a, part_lookups):
    computed = []
    assert [ask_part(tenant_a, "menu", ["Home"], computed) for _ in range(3)] == [["Home"]] * 3
    assert (computed, len(part_lookups)) == (["menu"], 1)


def test_a_shared_part_is_one_object_while_it_is_kept_and_a_new_one_once_it_changed(near, tenant_a):
    def ask(value, **kwargs):
        request = RequestFactory().get("/")
        request.tenant = tenant_a
        return page_cache.fragment(request, "tree", lambda: {"value": value}, tags=["tree"], **kwargs)

    first = ask("first", shared=True)
    assert ask("second", shared=True) is ask("third", shared=True) and first == {"value": "first"}
    assert ask("unshared") == first and ask("unshared") is not ask("unshared")  # each its own copy
    page_cache.invalidate_tags(["tree"], "alpha")
    assert ask("changed", shared=True) == {"value": "changed"}  # computed again
    later = ask("later", shared=True)
    assert later == {"value": "changed"} and ask("again", shared=True) is later


def test_past_the_bound_the_least_recently_used_copies_are_dropped(near, settings, tenant_a, part_lookups):
    values = {name: name * 1000 for name in "abc"}
    size = len(pickle.dumps((values["a"], frozenset())))  # what `fragment` stores of each
    settings.PAGE_CACHE_NEAR_BYTES = 2 * size + size // 2
    computed = []
    for name in ("a", "b", "a", "c"):  # `b` is the least recently used when `c` is kept
        ask_part(tenant_a, name, values[name], computed)
    part_lookups.clear()
    for name in ("a", "c", "b"):
        ask_part(tenant_a, name, values[name], computed)
    assert (computed, len(part_lookups)) == (["a", "b", "c"], 1)  # `b` from Redis


def test_a_copy_expires_when_its_redis_entry_does(near, wsgi, settings):
    settings.PAGE_CACHE_SECONDS = 1
    assert states(wsgi, 2) == ["miss", "hit"]
    time.sleep(1.2)
    assert states(wsgi, 1) == ["miss"]


def test_a_lost_subscription_drops_every_copy_until_subscribed_again(private_redis, near, wsgi, redis_asked):
    assert states(wsgi, 2) == ["miss", "hit"]
    generation = near.generation
    redis.Redis.from_url(private_redis.url).client_kill_filter(_type="pubsub")

    def lost():
        """the near copy noticed its subscription was lost"""
        return near.location is None

    wait_until(lost, timeout=2)
    redis_asked.clear()
    assert (states(wsgi, 2), len(redis_asked)) == (["hit", "hit"], 2)  # from Redis, not copied

    def subscribed_again():
        """the near copy subscribed again"""
        return near.location is not None and near.generation > generation + 1

    wait_until(subscribed_again, timeout=5)
    assert (states(wsgi, 2), len(redis_asked)) == (["hit", "hit"], 3)  # copied again


def test_a_hung_redis_is_noticed_and_every_copy_dropped(private_redis, near, wsgi, redis_asked):
    assert states(wsgi, 2) == ["miss", "hit"]
    private_redis.freeze()  # accepts connections, never answers
    try:

        def lost():
            """the near copy noticed that Redis stopped answering"""
            return near.location is None

        wait_until(lost, timeout=5)
    finally:
        private_redis.thaw()
    redis_asked.clear()
    assert (states(wsgi, 1), len(redis_asked)) == (["hit"], 1)


def test_without_a_near_copy_every_lookup_asks_redis(wsgi, settings, redis_asked):
    settings.PAGE_CACHE_NEAR_BYTES = 0
    assert (states(wsgi, 3), len(redis_asked)) == (["miss", "hit", "hit"], 3)
