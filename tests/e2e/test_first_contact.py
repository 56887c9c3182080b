"""A visitor's and an editor's first minutes with the demo, in a real browser.

Home page, the menu to a page and to the blog, a search from the header, Russian and back, and
the editor's sign-in to the admin's dashboard. Every request stays on the demo's own host
(the `browser` fixture fails the test otherwise); screenshots go to test-artifacts/e2e/.
"""

import re

import pytest

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DEMO = "demo.localhost"


def test_a_reader_finds_the_way_around_the_demo_site(browser):
    page = browser.page
    page.goto(browser.url(DEMO, "/"))
    assert page.locator("html").get_attribute("lang") == "en"
    menu = page.get_by_role("navigation", name="Site")
    home_link = page.locator("header a[rel=home]")
    assert home_link.inner_text().strip() == "RusToK Demo"
    browser.screenshot("home")

    # The menu leads to a page of the tree, and the page shows the same frame and menu.
    menu.get_by_role("link", name="About us").click()
    page.wait_for_url(re.compile(r"/pages/about-us/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "About us"
    assert page.get_by_role("navigation", name="Site").get_by_role("link", name="Blog").is_visible()
    browser.screenshot("page-from-menu")

    page.get_by_role("navigation", name="Site").get_by_role("link", name="Blog").click()
    page.wait_for_url(re.compile(r"/blog/$"))
    assert page.locator("article").count() >= 2
    browser.screenshot("blog")

    # Search from the header's box.
    header = page.locator("header")
    header.get_by_role("searchbox").fill("tea")
    header.get_by_role("search").get_by_role("button").click()
    page.wait_for_url(re.compile(r"/search/\?(.*&)?q=tea"))
    results = page.locator("main mark")
    assert results.count() >= 1
    assert all(text.lower().startswith("tea") for text in results.all_inner_texts())
    browser.screenshot("search")

    # Russian, on the same page, and back.
    page.get_by_role("navigation", name="Languages").locator("a[hreflang=ru]").click()
    page.wait_for_url(re.compile(r"lang=ru"))
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "/search/" in page.url
    assert page.locator("header").get_by_role("searchbox").input_value() == "tea"
    browser.screenshot("search-ru")
    page.get_by_role("navigation", name="Языки").locator("a[hreflang=en]").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"

    assert browser.errors == []


def test_an_editor_signs_in_and_sees_what_waits_for_them(browser):
    page = browser.page
    page.goto(browser.url(DEMO, "/admin/"))
    page.wait_for_url(re.compile(r"/admin/login/"))
    browser.screenshot("admin-login")
    page.locator("input[name=username]").fill(f"editor@{DEMO}")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    dashboard = page.locator("main, #content").first
    dashboard.get_by_text(re.compile("drafts", re.IGNORECASE)).first.wait_for()
    dashboard.get_by_text(re.compile("review", re.IGNORECASE)).first.wait_for()
    browser.screenshot("admin-dashboard")

    assert browser.errors == []


def test_the_operator_creates_a_site_whose_owner_signs_in(browser):
    page = browser.page
    page.goto(browser.url("localhost", "/admin/login/"))
    page.locator("input[name=username]").fill("admin@localhost")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(browser.url("localhost", "/admin/core/tenant/"))
    page.get_by_text("demo", exact=True).first.wait_for()
    # The list fits the window: nothing is cut off or needs scrolling sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    browser.screenshot("tenants")

    page.goto(browser.url("localhost", "/admin/core/tenant/add/"))
    page.locator("input[name=schema_name]").fill("teahouse")
    page.locator("input[name=name]").fill("Second Tea House")
    page.locator("input[name=domain]").fill("teahouse.localhost")
    page.locator("select[name=default_language]").select_option("ru")
    page.locator("select[name=default_currency]").select_option("EUR")
    page.locator("input[name=owner_email]").fill("owner@teahouse.localhost")
    page.locator("input[name=owner_access][value=password]").check()
    page.locator("input[name=owner_password]").fill("a-long-tea-passphrase")
    browser.screenshot("add-tenant")
    page.locator("button[name=_save], input[name=_save]").first.click()
    page.wait_for_url(re.compile(r"/admin/core/tenant/$"), timeout=60_000)
    page.get_by_text("Second Tea House").first.wait_for()

    page.goto(browser.url("teahouse.localhost", "/admin/login/"))
    page.locator("input[name=username]").fill("owner@teahouse.localhost")
    page.locator("input[name=password]").fill("a-long-tea-passphrase")
    page.locator("form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert "Second Tea House" in page.title()
    browser.screenshot("new-site-admin")
    page.goto(browser.url("teahouse.localhost", "/"))
    assert page.locator("header a[rel=home]").inner_text().strip() == "Second Tea House"
    browser.screenshot("new-site-home")

    assert browser.errors == []
