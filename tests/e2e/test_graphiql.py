"""GraphiQL in a real browser, with no internet: it loads, and a query typed into it runs."""

import pytest

pytestmark = pytest.mark.browser


def test_graphiql_runs_a_query_offline(browser):
    page = browser.page
    page.goto(browser.url("demo.localhost", "/api/graphql/"))
    page.wait_for_selector(".graphiql-container")
    editor = page.locator(".graphiql-query-editor .CodeMirror").first
    editor.click()
    page.evaluate(
        "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror"
        ".setValue('{ contentNodes(first: 3) { edges { node { title } } } }')"
    )
    page.locator(".graphiql-execute-button").click()
    result = page.locator(".graphiql-response .CodeMirror")
    result.get_by_text('"title"').first.wait_for()
    browser.screenshot("graphiql")

    assert '"contentNodes"' in result.inner_text()
    assert browser.errors == []
