"""Featured images as readers see them: renditions made when a node with an image is projected,
described in its documents (`data.picture`), shown by the storefront from there, deleted with the
image they were made of, and made again the same by a rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tenants.utils import schema_context
from PIL import Image

from apps.content import selectors, services
from apps.content.models import Node
from apps.content.preview import preview_token
from apps.index.models import Document
from tests.conftest import deliver
from tests.content.factories import make_node
from tests.content.test_translations_and_images import image_bytes
from tests.index.rebuilds import assert_a_rebuild_makes, documents
from tests.pages import elements, loaded_addresses, outside

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html"}
WIDTHS = (320, 640, 1000)  # of a 1000 pixels wide image, with IMAGE_RENDITION_WIDTHS 320, 640, 1280


@pytest.fixture(autouse=True)
def _widths(settings):
    settings.IMAGE_RENDITION_WIDTHS = (320, 640, 1280)


def upload(size=(1000, 600), name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG", size))


def with_image(admin, *, kind="post", title="Tea", status="published", **fields) -> tuple[Node, str]:
    """A node of `kind` with a featured image, in `status`, and the image's stored name."""
    node = make_node(actor=admin, kind=kind, title=title, **fields)
    services.set_featured_image(actor=admin, node=node, upload=upload())
    if status == "published":
        node = services.transition_node(actor=admin, node=node, name="publish")
    return node, Node.objects.get(pk=node.pk).featured_image.name


def files_of(media: Path, name: str, schema: str = "alpha") -> list[str]:
    """The files of image `name` in `schema`'s media: the original and its renditions."""
    folder = media / schema / Path(name).parent
    return sorted(path.name for path in folder.glob(f"{Path(name).name}*")) if folder.is_dir() else []


def renditions_of(name: str) -> list[str]:
    return [f"{Path(name).name}.{width}w.webp" for width in WIDTHS]


def test_a_published_node_has_its_picture_with_webp_renditions_in_its_documents(admin, media):
    with schema_context("alpha"):
        node, name = with_image(admin)
    deliver("alpha")
    with schema_context("alpha"):
        found = list(Document.objects.filter(type="post", object_id=str(node.pk)))
    assert len(found) == 2  # one per site language, both with the picture
    for document in found:
        assert document.data["image"] == f"/media/alpha/{name}"  # the original, as REST and og:image
        assert document.data["picture"] == {
            "url": f"/media/alpha/{name}",
            "width": 1000,
            "height": 600,
            "renditions": [
                {
                    "url": f"/media/alpha/{name}.{width}w.webp",
                    "width": width,
                    "height": width * 600 // 1000,
                    "type": "image/webp",
                }
                for width in WIDTHS
            ],
        }
    for width in WIDTHS:
        with Image.open(media / "alpha" / f"{name}.{width}w.webp") as rendition:
            assert (rendition.format, rendition.size) == ("WEBP", (width, width * 600 // 1000))


def test_images_of_drafts_and_of_unpublished_changes_get_no_renditions(admin, media):
    with schema_context("alpha"):
        _, draft = with_image(admin, status="draft")
        live = make_node(actor=admin, kind="post", title="Live", status="published")
        services.set_featured_image(actor=admin, node=live, upload=upload())
        changes = selectors.draft_of(Node.objects.get(pk=live.pk)).node.featured_image.name
    deliver("alpha")
    assert files_of(media, draft) == [Path(draft).name]
    assert files_of(media, changes) == [Path(changes).name]


def picture_elements(response) -> tuple[dict, dict]:
    """The attributes of the page's one <source> and its featured <img> (inside <picture>)."""
    tags = elements(response)
    starts = [index for index, (tag, _) in enumerate(tags) if tag == "picture"]
    assert len(starts) == 1, [attrs for tag, attrs in tags if tag == "picture"]
    (source_tag, source), (img_tag, img) = tags[starts[0] + 1 : starts[0] + 3]
    assert (source_tag, img_tag) == ("source", "img")
    return source, img


def assert_shown_from_alphas_media(response, name: str, media: Path) -> None:
    """The page loads the image's renditions and its original, all from alpha's own media."""
    source, img = picture_elements(response)
    assert source["type"] == "image/webp" and source["sizes"]
    assert source["srcset"] == ", ".join(f"/media/alpha/{name}.{width}w.webp {width}w" for width in WIDTHS)
    assert (img["src"], img["width"], img["height"]) == (f"/media/alpha/{name}", "1000", "600")
    html = response.content.decode()
    loaded = [address for address in loaded_addresses(html) if address.startswith("/media/")]
    assert outside(loaded) == [] and len(loaded) == len(WIDTHS) + 1
    for address in loaded:
        assert address.startswith("/media/alpha/content/")
        assert (media / address.removeprefix("/media/")).is_file(), address


def test_the_post_page_and_the_blog_index_show_the_picture_from_the_sites_media(
    admin, media, reader_a, reader_b
):
    with schema_context("alpha"):
        _, name = with_image(admin)
    post = reader_a.get("/blog/tea/", **HTML)
    assert_shown_from_alphas_media(post, name, media)
    img = picture_elements(post)[1]
    assert img["alt"] == "Tea" and "loading" not in img  # the top of the page: not deferred
    index = reader_a.get("/blog/", **HTML)
    assert_shown_from_alphas_media(index, name, media)
    img = picture_elements(index)[1]
    assert img["alt"] == "" and img["loading"] == "lazy"  # the title next to it says what it is
    assert not (media / "beta").exists()  # nothing of alpha's went to another site's media
    assert "<picture" not in reader_b.get("/blog/", **HTML).content.decode()


def test_the_pictures_a_page_shows_are_served_by_the_sites_own_host_only(admin, media, reader_a, reader_b):
    with schema_context("alpha"):
        _, name = with_image(admin)
    html = reader_a.get("/blog/tea/", **HTML).content.decode()
    loaded = [address for address in loaded_addresses(html) if address.startswith("/media/")]
    assert len(loaded) == len(WIDTHS) + 1
    for address in loaded:
        served = reader_a.get(address)
        assert served.status_code == 200, address
        assert served["Content-Type"] == ("image/jpeg" if address.endswith(".jpg") else "image/webp")
        assert "public" in served["Cache-Control"] and served["X-Cache"] == "bypass"
        body = b"".join(served.streaming_content)
        assert body == (media / address.removeprefix("/media/")).read_bytes()
        again = reader_a.get(address, HTTP_IF_MODIFIED_SINCE=served["Last-Modified"])
        assert again.status_code == 304
        assert reader_b.get(address).status_code == 404  # another site's host: not found
    missing = f"/media/alpha/{name}.missing.jpg"
    for address in (missing, "/media/alpha/../beta/x.jpg", "/media/alpha/%2e%2e/secret", "/media/alpha/"):
        assert reader_a.get(address).status_code in (400, 404), address  # nothing outside its folder


PICTURE_QUERY = """query($id: ID!) {
  contentNode(id: $id) { picture { url width height renditions { url width height type } } }
  contentNodes(kind: POST) { edges { node { picture { url renditions { width } } } } }
}"""


def test_rest_and_graphql_give_readers_and_editors_the_picture_with_absolute_addresses(
    admin, media, reader_a, tenant_a
):
    from tests.conftest import signed_in

    with schema_context("alpha"):
        node, name = with_image(admin)
        draft = make_node(actor=admin, kind="post", title="Draft")
        services.set_featured_image(actor=admin, node=draft, upload=upload(size=(400, 300)))
        draft_image = Node.objects.get(pk=draft.pk).featured_image.name
    expected = {
        "url": f"http://alpha.test/media/alpha/{name}",
        "width": 1000,
        "height": 600,
        "renditions": [
            {
                "url": f"http://alpha.test/media/alpha/{name}.{width}w.webp",
                "width": width,
                "height": round(600 * width / 1000),
                "type": "image/webp",
            }
            for width in WIDTHS
        ],
    }
    assert reader_a.get(f"/api/v1/blog/posts/{node.pk}/").json()["picture"] == expected
    assert reader_a.get("/api/v1/blog/posts/").json()["results"][0]["picture"] == expected
    answer = reader_a.post(
        "/api/graphql/",
        {"query": PICTURE_QUERY, "variables": {"id": node.pk}},
        content_type="application/json",
    ).json()
    assert answer["data"]["contentNode"]["picture"] == expected
    [edge] = answer["data"]["contentNodes"]["edges"]
    assert edge["node"]["picture"]["renditions"] == [{"width": width} for width in WIDTHS]
    editor = signed_in(tenant_a, admin)
    assert editor.get(f"/api/v1/blog/posts/{node.pk}/").json()["picture"] == expected
    # a draft's image has no renditions until it is published
    assert editor.get(f"/api/v1/blog/posts/{draft.pk}/").json()["picture"] == {
        "url": f"http://alpha.test/media/alpha/{draft_image}",
        "width": 400,
        "height": 300,
        "renditions": [],
    }
    editor_answer = editor.post(
        "/api/graphql/",
        {"query": PICTURE_QUERY, "variables": {"id": draft.pk}},
        content_type="application/json",
    ).json()
    assert editor_answer["data"]["contentNode"]["picture"]["renditions"] == []
    plain = reader_a.get("/api/v1/content/nodes/", {"kind": "post"}).json()["results"]
    assert all("picture" in item for item in plain)


def test_a_page_shows_its_picture_under_its_title_and_on_the_default_home(admin, media, reader_a):
    with schema_context("alpha"):
        _, name = with_image(admin, kind="page", title="About us")
    assert_shown_from_alphas_media(reader_a.get("/pages/about-us/", **HTML), name, media)
    assert_shown_from_alphas_media(reader_a.get("/", **HTML), name, media)


def test_a_node_without_an_image_shows_no_picture(admin, media, reader_a):
    with schema_context("alpha"):
        make_node(actor=admin, kind="post", title="Plain", status="published")
    deliver("alpha")
    with schema_context("alpha"):
        assert Document.objects.filter(type="post")[0].data["picture"] is None
    assert "<picture" not in reader_a.get("/blog/plain/", **HTML).content.decode()
    assert "<picture" not in reader_a.get("/blog/", **HTML).content.decode()


def test_a_preview_shows_a_new_image_as_it_is(admin, media, client_a):
    with schema_context("alpha"):
        node, name = with_image(admin, status="draft")
        address = reverse("content-preview", args=[preview_token(node)])
    response = client_a.get(address, **HTML)
    img = next(attrs for tag, attrs in elements(response) if tag == "img" and attrs.get("alt") == "Tea")
    assert img["src"] == f"/media/alpha/{name}"
    assert "<source" not in response.content.decode()  # no renditions made for a draft


def test_replacing_or_removing_the_image_deletes_its_renditions_after_commit(
    admin, media, django_capture_on_commit_callbacks
):
    with schema_context("alpha"):
        node, first = with_image(admin)
    deliver("alpha")
    assert files_of(media, first) == sorted([Path(first).name, *renditions_of(first)])
    with schema_context("alpha"):
        with django_capture_on_commit_callbacks(execute=True):
            services.set_featured_image(actor=admin, node=node, upload=upload(name="second.jpg"))
        assert files_of(media, first), "readers keep the live image until the change is published"
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            node = services.transition_node(actor=admin, node=node, name="publish")
            assert files_of(media, first), "nothing goes before the commit"
        assert callbacks
        assert files_of(media, first) == []
        second = Node.objects.get(pk=node.pk).featured_image.name
    deliver("alpha")
    assert files_of(media, second) == sorted([Path(second).name, *renditions_of(second)])
    with schema_context("alpha"):
        assert Document.objects.filter(type="post")[0].data["picture"]["url"] == f"/media/alpha/{second}"
        with django_capture_on_commit_callbacks(execute=True):
            services.set_featured_image(actor=admin, node=node, upload=None)
            services.transition_node(actor=admin, node=node, name="publish")
    assert files_of(media, second) == []
    deliver("alpha")
    with schema_context("alpha"):
        assert Document.objects.filter(type="post")[0].data["picture"] is None


def test_deleting_a_node_deletes_its_image_with_its_renditions(
    admin, media, django_capture_on_commit_callbacks
):
    with schema_context("alpha"):
        node, name = with_image(admin)
    deliver("alpha")
    assert len(files_of(media, name)) == 1 + len(WIDTHS)
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        services.delete_node(actor=admin, node=node)
    assert files_of(media, name) == []


def test_a_rebuild_makes_the_same_documents_and_the_renditions_images_stored_before_them_lack(admin, media):
    with schema_context("alpha"):
        _, post = with_image(admin)
        _, page = with_image(admin, kind="page", title="About us")
    deliver("alpha")
    with schema_context("alpha"):
        kept = documents()
    for name in (post, page):  # as images stored before renditions existed
        for file in renditions_of(name):
            (media / "alpha" / Path(name).parent / file).unlink()
    assert_a_rebuild_makes(kept)
    for name in (post, page):
        assert files_of(media, name) == sorted([Path(name).name, *renditions_of(name)])
