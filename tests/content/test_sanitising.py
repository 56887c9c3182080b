"""Bodies are sanitised: no script, event handler or javascript: URL survives, in either format."""

import pytest
from django_tenants.utils import schema_context

from rustok.markup import plain_text, reading_time, render
from tests.content.factories import make_node
from tests.pages import start_tags

# Known ways to run script through rich text (classic filter-evasion payloads).
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.test/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=x OnErRoR=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<style>@import "javascript:alert(1)";</style>',
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    '"><script>alert(1)</script>',
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    '<table background="javascript:alert(1)">',
    '<a href="#" onclick="alert(1)">x</a>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<template><script>alert(1)</script></template>",
    '<img src="x` `<script>alert(1)</script>"` `>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "![x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x]: javascript:alert(1)\n\n[y][x]",
]

DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "svg",
    "math",
    "template",
    "noscript",
    "video",
    "audio",
    "source",
    "body",
    "marquee",
}
SAFE_SCHEMES = ("http:", "https:", "mailto:")


def assert_harmless(html: str, payload: str) -> None:
    for tag, attrs in start_tags(html):
        assert tag not in DANGEROUS_TAGS, (payload, html)
        for name, value in attrs.items():
            assert not name.startswith("on") and name not in {"style", "srcdoc", "formaction"}, (
                payload,
                html,
            )
            if name in {"href", "src", "action", "background", "data"}:
                url = "".join((value or "").split()).lower()
                assert ":" not in url.split("/")[0] or url.startswith(SAFE_SCHEMES), (payload, html)


@pytest.mark.parametrize("body_format", ["markdown", "html"])
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives(payload, body_format):
    assert_harmless(render(f"Before {payload} after", body_format), payload)


def test_allowed_markup_is_kept_and_links_get_a_safe_rel():
    html = render(
        "## Title\n\n*a* **b** `c` [site](https://example.test) ![alt](https://example.test/i.png)",
        "markdown",
    )
    assert "<h2>Title</h2>" in html
    assert "<em>a</em>" in html and "<strong>b</strong>" in html and "<code>c</code>" in html
    assert '<a href="https://example.test" rel="noopener noreferrer nofollow">site</a>' in html
    assert '<img src="https://example.test/i.png" alt="alt">' in html


def test_html_bodies_keep_tables_and_lose_unknown_attributes():
    html = render('<table class="x"><tr><td colspan="2" data-x="1">cell</td></tr></table>', "html")
    assert html == '<table><tbody><tr><td colspan="2">cell</td></tr></tbody></table>'


def test_a_stored_node_only_ever_keeps_the_sanitised_html(tenant_a):
    with schema_context("alpha"):
        node = make_node(
            title="Evil",
            body="Hi <img src=x onerror=alert(1)> <script>alert(2)</script>",
            texts={
                "en": {"title": "Evil", "body": "Hi <img src=x onerror=alert(1)>"},
                "ru": {"title": "Зло", "body": "<a href='javascript:alert(3)'>ссылка</a>"},
            },
        )
        assert node.body_html_en == '<p>Hi <img src="x"></p>\n'
        assert node.body_html_ru == '<p><a rel="noopener noreferrer nofollow">ссылка</a></p>\n'


def test_plain_text_and_reading_time():
    assert plain_text("<p>Tea &amp; <b>cake</b></p><p>now</p>") == "Tea & cake now"
    assert reading_time("word " * 600) == 3
    assert reading_time("") == 1
