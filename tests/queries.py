"""Query-count guards: a list costs the same queries for a few items and for many, a write a fixed number.

    def test_tags_cost_the_same_for_2_and_20(client_a, django_assert_max_num_queries):
        flat(django_assert_max_num_queries, 4, ask=lambda: client_a.get(TAGS), grow=add_tags, size=...)

`ask` is the request measured (asked once before, so caches that every request shares, such as
the module toggles in Redis, are warm); `grow` adds items between the two measures; `size` reads
how many items an answer shows, so the test proves the second answer really is longer.
"""

from __future__ import annotations

from collections.abc import Callable


def flat(assert_max, budget: int, *, ask: Callable, grow: Callable[[], None], size: Callable) -> tuple:
    """Measure `ask()` at a few and at many items: at most `budget` queries both times, the same
    number both times, and more items the second time. Returns both answers."""
    ask()
    with assert_max(budget) as few_queries:
        few = ask()
    grow()
    ask()  # warm again, as before the first count: a slow grow() outlasts the kept routes and caches
    with assert_max(budget) as many_queries:
        many = ask()
    assert size(many) > size(few) > 0, (size(few), size(many))
    assert len(many_queries.captured_queries) == len(few_queries.captured_queries), [
        query["sql"] for query in many_queries.captured_queries
    ]
    return few, many


def costs(assert_max, budget: int, act: Callable):
    """Run `act()` (one write) in at most `budget` queries; returns its answer."""
    with assert_max(budget):
        return act()


def mutation_costs(assert_max, budget: int, client, query: str, variables: dict, mutation: str) -> dict:
    """Run the GraphQL `mutation` (its `query` text) in at most `budget` queries; it must succeed.
    Returns its answer (`data[mutation]`)."""
    response = costs(
        assert_max,
        budget,
        lambda: client.post(
            "/api/graphql/", {"query": query, "variables": variables}, content_type="application/json"
        ),
    )
    body = response.json()
    assert "errors" not in body, body["errors"]
    assert body["data"][mutation]
    return body["data"][mutation]
