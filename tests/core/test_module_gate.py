"""A disabled module is gone for that tenant: REST answers module_disabled, GraphQL MODULE_DISABLED."""

from apps.core import services


def graphql(client, query):
    return client.post("/api/graphql/", {"query": query}, content_type="application/json")


def test_rest_route_of_a_disabled_module_answers_404_module_disabled(client_a, client_b, tenant_a):
    services.set_module_enabled(tenant=tenant_a, module="notes", enabled=False)

    response = client_a.get("/api/v1/notes/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "module_disabled"
    assert response.json()["module"] == "notes"
    # every route of the module, whatever the method, and only on that tenant
    assert client_a.post("/api/v1/notes/", {"text": "x"}, content_type="application/json").status_code == 404
    assert client_b.get("/api/v1/notes/").status_code == 200


def test_rest_route_comes_back_when_the_module_is_enabled_again(client_a, tenant_a):
    services.set_module_enabled(tenant=tenant_a, module="notes", enabled=False)
    assert client_a.get("/api/v1/notes/").status_code == 404
    services.set_module_enabled(tenant=tenant_a, module="notes", enabled=True)
    assert client_a.get("/api/v1/notes/").status_code == 200


def test_graphql_field_of_a_disabled_module_answers_module_disabled(client_a, client_b, tenant_a):
    services.set_module_enabled(tenant=tenant_a, module="notes", enabled=False)

    body = graphql(client_a, "{ site { slug } notes { text } }").json()
    assert body["data"]["site"] == {"slug": "alpha"}  # other modules' fields still answer
    [error] = body["errors"]
    assert error["path"] == ["notes"]
    assert error["extensions"]["code"] == "MODULE_DISABLED"
    assert error["extensions"]["module"] == "notes"
    assert "errors" not in graphql(client_b, "{ notes { text } }").json()


def test_graphql_schema_is_composed_from_every_module(client_a):
    body = graphql(client_a, "{ site { slug name defaultLanguage modules } notes { id } }").json()
    assert body == {
        "data": {
            "site": {
                "slug": "alpha",
                "name": "Alpha",
                "defaultLanguage": "en",
                "modules": [
                    "accounts",
                    "blog",
                    "catalog",
                    "content",
                    "core",
                    "events",
                    "index",
                    "inventory",
                    "notes",
                    "orders",
                    "payments",
                    "site",
                ],
            },
            "notes": [],
        }
    }


def test_site_lists_only_enabled_modules(client_a, tenant_a):
    services.set_module_enabled(tenant=tenant_a, module="digest", enabled=True)
    assert client_a.get("/api/v1/site/").json()["modules"] == [
        "accounts",
        "blog",
        "catalog",
        "content",
        "core",
        "digest",
        "events",
        "index",
        "inventory",
        "notes",
        "orders",
        "payments",
        "site",
    ]
