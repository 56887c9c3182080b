"""Storefront pages have a rate limit per client address, generous and configurable."""

from django.test import Client


def test_storefront_pages_are_limited_per_address(db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "storefront": "3/min",
        },
    }
    reader = Client(HTTP_HOST="alpha.test", REMOTE_ADDR="10.0.0.1", HTTP_ACCEPT="text/html")
    statuses = [reader.get(path).status_code for path in ("/blog/", "/blog/feed/rss/", "/blog/", "/blog/")]
    assert statuses == [200, 200, 200, 429]
    refused = reader.get("/blog/")
    assert refused["Content-Type"].startswith("text/html")
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another address has its own count, and the API its own limits.
    assert Client(HTTP_HOST="alpha.test", REMOTE_ADDR="10.0.0.2").get("/blog/").status_code == 200
    assert reader.get("/api/v1/site/", HTTP_ACCEPT="application/json").status_code == 200


def test_the_default_storefront_limit_is_generous(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["storefront"] == "600/min"


def test_the_refusal_page_is_in_the_sites_language(db, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "storefront": "1/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    reader = Client(HTTP_HOST="beta.test", REMOTE_ADDR="10.0.0.3", HTTP_ACCEPT="text/html")
    reader.get("/blog/")
    refused = reader.get("/blog/")
    assert refused.status_code == 429
    assert "Слишком много запросов" in refused.content.decode()
