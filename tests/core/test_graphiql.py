"""GraphiQL works without internet: the page and everything it loads come from the site itself."""

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings

from tests.pages import loaded_addresses, outside

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml"}


@override_settings(GRAPHIQL=True)
def test_graphiql_loads_its_scripts_and_styles_from_the_sites_static_files(client_a):
    response = client_a.get("/api/graphql/", **BROWSER)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    addresses = loaded_addresses(html)
    assert outside(addresses) == []
    scripts = [address for address in addresses if address.endswith(".js")]
    assert len(scripts) >= 5  # React, ReactDOM, GraphiQL, its explorer, graphene's starter
    for address in addresses:
        assert address.startswith("/static/"), address
        assert finders.find(address.removeprefix("/static/")), f"{address} is not among the static files"


@override_settings(GRAPHIQL=False)
def test_without_graphiql_a_browser_gets_the_api_answer_not_an_ide(client_a):
    response = client_a.get("/api/graphql/", **BROWSER)

    assert "graphiql" not in response.content.decode().lower()
    assert response["Content-Type"].startswith("application/json")
