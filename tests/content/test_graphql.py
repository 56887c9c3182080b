"""Content over GraphQL: what readers and editors see, the languages, the mutations, query counts."""

import datetime as dt

from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.content import services
from apps.content.models import Node
from apps.core import services as core
from tests.accounts.factories import EditorFactory, SiteAdminFactory, UserFactory
from tests.conftest import ALPHA_HOST, Reader, bearer
from tests.content.factories import make_category, make_node, make_tag

LIST = """
query($first: Int, $after: String, $last: Int, $before: String) {
  contentNodes(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id title status } }
  }
}
"""
FILTERED = """
query(
  $kind: ContentKind, $status: [ContentStatus!], $category: String, $tag: String, $language: String,
  $q: String
) {
  contentNodes(kind: $kind, status: $status, category: $category, tag: $tag, language: $language, q: $q) {
    edges { node { title } }
  }
}
"""
BY_ID = "query($id: ID!, $lang: String) { contentNode(id: $id, lang: $lang) { id title language status } }"
BY_SLUG = "query($slug: String!) { contentNodeBySlug(kind: PAGE, slug: $slug) { id title } }"
NODE = """
fragment node on ContentNode {
  id kind title slug excerpt body bodyHtml bodyFormat status language position parentId publishAt
  author { id displayName }
  categories { id name slug }
  tags { id name slug }
  translations { language title slug body }
  allowedTransitions
}
"""
CREATE = (
    NODE
    + "mutation($input: CreateContentNodeInput!) { createContentNode(input: $input) { node { ...node } } }"
)
UPDATE = (
    NODE
    + """mutation($id: ID!, $input: UpdateContentNodeInput!) {
      updateContentNode(id: $id, input: $input) { node { ...node } } }"""
)
TRANSITION = """
mutation($id: ID!, $transition: ContentTransition!) {
  transitionContentNode(id: $id, transition: $transition) {
    node { id status publishedAt allowedTransitions }
  }
}
"""


def gql(client, query, **variables):
    response = client.post(
        "/api/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def data(client, query, **variables):
    body = gql(client, query, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]


def error(client, query, **variables):
    body = gql(client, query, **variables)
    [found] = body["errors"]
    return found


def titles(result) -> list[str]:
    return [edge["node"]["title"] for edge in result["contentNodes"]["edges"]]


def signed_in(factory, tenant, host=ALPHA_HOST, *, relay=True):
    """A user made by `factory` on `tenant`, and a client of theirs (bearer token) whose requests
    first relay the site's events (readers read the documents the worker keeps), unless not
    `relay` (a query count measures the request alone)."""
    with schema_context(tenant.schema_name):
        user = factory()
    token = bearer(tenant, user)
    if relay:
        return user, Reader(tenant.schema_name, HTTP_HOST=host, HTTP_AUTHORIZATION=token)
    return user, Client(HTTP_HOST=host, HTTP_AUTHORIZATION=token)


# --- reading ----------------------------------------------------------------------------------


def test_nodes_are_listed_page_by_page_with_cursors(reader_a, tenant_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        for number in range(5):
            make_node(actor=admin, title=f"Page {number}", status="published")
    first = data(reader_a, LIST, first=2)["contentNodes"]
    assert first["totalCount"] == 5
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    second = data(reader_a, LIST, first=2, after=first["pageInfo"]["endCursor"])["contentNodes"]
    third = data(reader_a, LIST, first=2, after=second["pageInfo"]["endCursor"])["contentNodes"]
    assert [len(page["edges"]) for page in (first, second, third)] == [2, 2, 1]
    assert second["pageInfo"]["hasNextPage"] and second["pageInfo"]["hasPreviousPage"]
    assert not third["pageInfo"]["hasNextPage"]
    seen = [edge["node"]["title"] for page in (first, second, third) for edge in page["edges"]]
    assert sorted(seen) == [f"Page {n}" for n in range(5)]
    back = data(reader_a, LIST, last=2, before=third["pageInfo"]["startCursor"])["contentNodes"]
    assert [edge["node"]["title"] for edge in back["edges"]] == seen[2:4]


def test_first_is_capped_and_a_bad_cursor_is_refused(reader_a, tenant_a):
    with schema_context("alpha"):
        make_node(status="published")
    assert len(data(reader_a, LIST, first=1000)["contentNodes"]["edges"]) == 1
    found = error(reader_a, LIST, first=2, after="not-a-cursor")
    assert found["extensions"]["code"] == "INVALID"
    assert found["message"].startswith("after:")


def test_anonymous_readers_never_see_drafts(reader_a, tenant_a):
    with schema_context("alpha"):
        make_node(title="Live", status="published")
        draft = make_node(title="Secret", status="draft")
        in_review = make_node(title="Pending", status="in_review")
    assert titles(data(reader_a, LIST)) == ["Live"]
    for node in (draft, in_review):
        assert data(reader_a, BY_ID, id=node.pk)["contentNode"] is None
    assert data(reader_a, BY_SLUG, slug="secret")["contentNodeBySlug"] is None
    assert data(reader_a, BY_SLUG, slug="live")["contentNodeBySlug"]["title"] == "Live"


def test_customers_see_no_drafts_and_no_editor_fields(tenant_a):
    with schema_context("alpha"):
        make_node(title="Secret")
        live = make_node(title="Live", status="published")
    _customer, client = signed_in(UserFactory, tenant_a)
    assert titles(data(client, LIST)) == ["Live"]
    query = (
        "query($id: ID!) { contentNode(id: $id) { translations { title } allowedTransitions previewUrl } }"
    )
    node = data(client, query, id=live.pk)
    assert node["contentNode"] == {"translations": None, "allowedTransitions": None, "previewUrl": None}


def test_editors_see_drafts_with_every_translation_and_the_allowed_steps(editor_a, tenant_a):
    from apps.accounts.models import User

    with schema_context("alpha"):
        editor = User.objects.get(email="editor@alpha.test")
        draft = make_node(actor=editor, texts={"en": {"title": "Draft"}, "ru": {"title": "Черновик"}})
    result = data(editor_a, NODE + "{ contentNodes { edges { node { ...node previewUrl } } } }")
    [edge] = result["contentNodes"]["edges"]
    node = edge["node"]
    assert (node["id"], node["status"], node["allowedTransitions"]) == (
        str(draft.pk),
        "DRAFT",
        ["SUBMIT"],  # their own draft: they submit it; publishing is for admins
    )
    assert [(t["language"], t["title"]) for t in node["translations"]] == [
        ("en", "Draft"),
        ("ru", "Черновик"),
    ]
    assert node["previewUrl"].startswith("http://alpha.test/preview/")


def test_nodes_are_filtered_by_kind_status_category_tag_and_language(editor_a, tenant_a):
    with schema_context("alpha"):
        news, python = make_category(name="News"), make_tag(name="python")
        make_node(title="About", status="published", categories=[news], tags=[python])
        make_node(
            kind="post", status="published", texts={"en": {"title": "Hello"}, "ru": {"title": "Привет"}}
        )
        make_node(title="Draft")
    assert titles(data(editor_a, FILTERED, kind="POST")) == ["Hello"]
    assert titles(data(editor_a, FILTERED, status=["DRAFT"])) == ["Draft"]
    assert titles(data(editor_a, FILTERED, category=str(news.pk))) == ["About"]
    assert titles(data(editor_a, FILTERED, category="news")) == ["About"]
    assert titles(data(editor_a, FILTERED, tag="python")) == ["About"]
    assert titles(data(editor_a, FILTERED, language="ru")) == ["Hello"]
    assert titles(data(editor_a, FILTERED, q="abou")) == ["About"]
    assert error(editor_a, FILTERED, language="xx")["extensions"]["code"] == "INVALID"


def test_nodes_of_a_module_that_is_off_are_not_there(reader_a, tenant_a):
    with schema_context("alpha"):
        post = make_node(title="Post", kind="post", status="published")
        make_node(title="Page", status="published")
    core.set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    assert titles(data(reader_a, LIST)) == ["Page"]
    assert data(reader_a, BY_ID, id=post.pk)["contentNode"] is None


def test_lang_shows_russian_where_there_is_some_and_falls_back_to_english(reader_a, tenant_a):
    with schema_context("alpha"):
        tag = make_tag(name="python", ru={"name": "питон"})
        both = make_node(
            texts={"en": {"title": "Hello", "body": "Hi"}, "ru": {"title": "Привет"}},
            status="published",
            tags=[tag],
        )
        english = make_node(texts={"en": {"title": "Only English"}}, status="published")
    query = """{ contentNodes(lang: "ru", ordering: [ID]) {
      edges { node { title body language tags { name } } } } }"""
    nodes = [edge["node"] for edge in data(reader_a, query)["contentNodes"]["edges"]]
    assert nodes == [
        {"title": "Привет", "body": "Hi", "language": "ru", "tags": [{"name": "питон"}]},
        {"title": "Only English", "body": "", "language": "en", "tags": []},
    ]
    assert data(reader_a, BY_ID, id=both.pk)["contentNode"]["title"] == "Hello"
    assert data(reader_a, BY_ID, id=both.pk, lang="ru")["contentNode"]["title"] == "Привет"
    assert data(reader_a, BY_SLUG, slug="привет")["contentNodeBySlug"]["id"] == str(both.pk)
    assert data(reader_a, BY_ID, id=english.pk, lang="ru")["contentNode"]["language"] == "en"


def test_the_lang_of_one_field_does_not_change_another(reader_a, tenant_a):
    with schema_context("alpha"):
        node = make_node(texts={"en": {"title": "Hello"}, "ru": {"title": "Привет"}}, status="published")
    query = """query($id: ID!) {
      ru: contentNode(id: $id, lang: "ru") { title } en: contentNode(id: $id) { title } }"""
    assert data(reader_a, query, id=node.pk) == {"ru": {"title": "Привет"}, "en": {"title": "Hello"}}


def test_an_unknown_lang_is_refused_naming_it(client_a, tenant_a):
    found = error(client_a, BY_ID, id="1", lang="xx")
    assert found["extensions"]["code"] == "INVALID"
    assert found["message"].startswith("lang:")


def test_a_russian_site_shows_russian_and_falls_back_to_english(reader_b, tenant_b):
    with schema_context("beta"):
        both = make_node(texts={"en": {"title": "Hello"}, "ru": {"title": "Привет"}}, status="published")
        english = make_node(texts={"en": {"title": "Only English"}}, status="published")
    assert data(reader_b, BY_ID, id=both.pk)["contentNode"]["title"] == "Привет"
    shown = data(reader_b, BY_ID, id=english.pk)["contentNode"]
    assert (shown["title"], shown["language"]) == ("Only English", "en")
    assert data(reader_b, BY_ID, id=both.pk, lang="en")["contentNode"]["title"] == "Hello"


def test_a_node_of_one_site_is_not_found_on_another(reader_b, editor_b, tenant_a, tenant_b):
    with schema_context("alpha"):
        node = make_node(title="Alpha only", status="published")
    with schema_context("beta"):
        assert not Node.objects.filter(pk=node.pk).exists()
    assert data(reader_b, BY_ID, id=node.pk)["contentNode"] is None
    found = error(editor_b, TRANSITION, id=node.pk, transition="SUBMIT")
    assert found["extensions"]["code"] == "NOT_FOUND"


def test_categories_are_listed_in_order_with_their_children(client_a, tenant_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        news = make_category(actor=admin, name="News")
        services.create_category(actor=admin, texts={"en": {"name": "Sport"}}, parent=news)
        services.create_category(actor=admin, texts={"en": {"name": "About"}}, position=1)
        make_tag(actor=admin, name="python")
    result = data(
        client_a, "{ contentCategories { name parentId children { name } } contentTags { name slug } }"
    )
    assert [(c["name"], c["children"]) for c in result["contentCategories"]] == [
        ("News", [{"name": "Sport"}]),
        ("Sport", []),
        ("About", []),
    ]
    assert result["contentTags"] == [{"name": "python", "slug": "python"}]


# --- writing ----------------------------------------------------------------------------------


def test_an_editor_creates_a_draft_with_translations_categories_and_tags(tenant_a):
    editor, client = signed_in(EditorFactory, tenant_a)
    with schema_context("alpha"):
        news, python = make_category(name="News"), make_tag(name="python")
    node = data(
        client,
        CREATE,
        input={
            "kind": "PAGE",
            "bodyFormat": "MARKDOWN",
            "categoryIds": [news.pk],
            "tagIds": [python.pk],
            "translations": [
                {"language": "en", "title": "About us", "body": "We make **tea**."},
                {"language": "ru", "title": "О нас"},
            ],
        },
    )["createContentNode"]["node"]
    assert (node["status"], node["title"], node["slug"]) == ("DRAFT", "About us", "about-us")
    assert node["bodyHtml"] == "<p>We make <strong>tea</strong>.</p>\n"
    assert node["author"] == {"id": str(editor.pk), "displayName": editor.display_name}
    assert [c["name"] for c in node["categories"]] == ["News"]
    assert [t["slug"] for t in node["tags"]] == ["python"]
    assert [(t["language"], t["slug"]) for t in node["translations"]] == [("en", "about-us"), ("ru", "о-нас")]


def test_unknown_category_or_tag_ids_are_refused_naming_the_field(editor_a, tenant_a):
    for field in ("categoryIds", "tagIds"):
        found = error(
            editor_a,
            CREATE,
            input={"kind": "PAGE", field: [999999], "translations": [{"language": "en", "title": "X"}]},
        )
        assert found["extensions"]["code"] == "INVALID"
        assert (
            found["message"]
            == f"{field}: Unknown {'category' if field == 'categoryIds' else 'tag'} id(s): 999999."
        )
    with schema_context("alpha"):
        assert not Node.objects.exists()


def test_an_update_changes_only_the_fields_given(tenant_a):
    editor, client = signed_in(EditorFactory, tenant_a)
    with schema_context("alpha"):
        news = make_category(name="News")
        node = make_node(actor=editor, texts={"en": {"title": "Hello", "body": "Text"}}, categories=[news])
    updated = data(
        client,
        UPDATE,
        id=node.pk,
        input={"translations": [{"language": "ru", "title": "Привет"}], "position": 3},
    )["updateContentNode"]["node"]
    assert (updated["title"], updated["body"], updated["position"]) == ("Hello", "Text", 3)
    assert [c["name"] for c in updated["categories"]] == ["News"]
    assert [(t["language"], t["title"], t["body"]) for t in updated["translations"]] == [
        ("en", "Hello", "Text"),
        ("ru", "Привет", ""),
    ]
    cleared = data(client, UPDATE, id=node.pk, input={"categoryIds": []})["updateContentNode"]["node"]
    assert (cleared["categories"], cleared["position"]) == ([], 3)


def test_an_editor_submits_but_may_not_publish(tenant_a):
    editor, client = signed_in(EditorFactory, tenant_a)
    with schema_context("alpha"):
        node = make_node(actor=editor)
    submitted = data(client, TRANSITION, id=node.pk, transition="SUBMIT")["transitionContentNode"]["node"]
    assert submitted["status"] == "IN_REVIEW"
    found = error(client, TRANSITION, id=node.pk, transition="PUBLISH")
    assert found["extensions"]["code"] == "PERMISSION_DENIED"
    with schema_context("alpha"):
        assert Node.objects.get(pk=node.pk).status == "in_review"


def test_an_admin_publishes_and_an_illegal_step_names_the_allowed_ones(tenant_a):
    _admin, client = signed_in(SiteAdminFactory, tenant_a)
    with schema_context("alpha"):
        node = make_node()
    published = data(client, TRANSITION, id=node.pk, transition="PUBLISH")["transitionContentNode"]["node"]
    assert (published["status"], published["allowedTransitions"]) == ("PUBLISHED", ["UNPUBLISH", "ARCHIVE"])
    assert published["publishedAt"]
    found = error(client, TRANSITION, id=node.pk, transition="SUBMIT")
    assert found["extensions"]["code"] == "TRANSITION_NOT_ALLOWED"
    assert found["extensions"]["allowed"] == ["unpublish", "archive"]


def test_mutations_need_a_signed_in_user(client_a, tenant_a):
    with schema_context("alpha"):
        node = make_node(status="published")
    found = error(client_a, TRANSITION, id=node.pk, transition="ARCHIVE")
    assert found["extensions"]["code"] == "NOT_AUTHENTICATED"


def test_a_node_the_user_cannot_read_is_not_found(tenant_a):
    _customer, client = signed_in(UserFactory, tenant_a)
    with schema_context("alpha"):
        draft = make_node()
        live = make_node(status="published")
    assert error(client, TRANSITION, id=draft.pk, transition="SUBMIT")["extensions"]["code"] == "NOT_FOUND"
    assert (
        error(client, TRANSITION, id=live.pk, transition="ARCHIVE")["extensions"]["code"]
        == "PERMISSION_DENIED"
    )


def test_customers_are_refused_an_update_whatever_the_id(tenant_a):
    _customer, client = signed_in(UserFactory, tenant_a)
    with schema_context("alpha"):
        draft = make_node()
    for node_id in (draft.pk, 999999):
        found = error(client, UPDATE, id=node_id, input={"position": 1})
        assert found["extensions"]["code"] == "PERMISSION_DENIED"


def test_a_node_of_a_module_that_is_off_cannot_be_changed(editor_a, tenant_a):
    with schema_context("alpha"):
        post = make_node(kind="post")
    core.set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    assert error(editor_a, UPDATE, id=post.pk, input={"position": 1})["extensions"]["code"] == "NOT_FOUND"


def test_scheduling_and_deleting_a_node(tenant_a):
    _admin, client = signed_in(SiteAdminFactory, tenant_a)
    with schema_context("alpha"):
        node = make_node()
    at = (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0)
    schedule = """mutation($id: ID!, $at: DateTime) {
      scheduleContentNode(id: $id, publishAt: $at) { node { publishAt } } }"""
    scheduled = data(client, schedule, id=node.pk, at=at.isoformat())["scheduleContentNode"]["node"]
    assert dt.datetime.fromisoformat(scheduled["publishAt"]) == at
    assert data(client, schedule, id=node.pk, at=None)["scheduleContentNode"]["node"]["publishAt"] is None
    deleted = data(client, "mutation($id: ID!) { deleteContentNode(id: $id) { ok id } }", id=node.pk)
    assert deleted["deleteContentNode"] == {"ok": True, "id": str(node.pk)}
    with schema_context("alpha"):
        assert not Node.objects.filter(pk=node.pk).exists()


def test_revisions_are_listed_compared_and_restored(tenant_a):
    _admin, client = signed_in(SiteAdminFactory, tenant_a)
    with schema_context("alpha"):
        node = make_node(texts={"en": {"title": "First"}})
        services.update_node(actor=SiteAdminFactory(), node=node, texts={"en": {"title": "Second"}})
    query = "query($id: ID!) { contentRevisions(nodeId: $id) { number action status changed } }"
    revisions = data(client, query, id=node.pk)
    assert revisions["contentRevisions"] == [
        {"number": 2, "action": "updated", "status": "DRAFT", "changed": ["title_en"]},
        {"number": 1, "action": "created", "status": "DRAFT", "changed": []},
    ]
    compare = """query($id: ID!) {
      contentRevisionCompare(nodeId: $id, old: 1, new: 2) { changes { field old new } } }"""
    changes = data(client, compare, id=node.pk)["contentRevisionCompare"]["changes"]
    assert {"field": "title_en", "old": "First", "new": "Second"} in changes
    restore = (
        "mutation($id: ID!, $n: Int!) { restoreContentRevision(nodeId: $id, number: $n) { node { title } } }"
    )
    assert data(client, restore, id=node.pk, n=1)["restoreContentRevision"]["node"]["title"] == "First"
    assert error(client, restore, id=node.pk, n=9)["extensions"]["code"] == "NOT_FOUND"


def test_revisions_are_for_editors_only(client_a, tenant_a):
    with schema_context("alpha"):
        node = make_node(status="published")
    _customer, customer = signed_in(UserFactory, tenant_a)
    query = "query($id: ID!) { contentRevisions(nodeId: $id) { number } }"
    assert error(client_a, query, id=node.pk)["extensions"]["code"] == "NOT_AUTHENTICATED"
    assert error(customer, query, id=node.pk)["extensions"]["code"] == "PERMISSION_DENIED"


def test_categories_and_tags_are_created_changed_and_deleted(editor_a, tenant_a):
    create = """mutation($input: ContentCategoryInput!) {
      createContentCategory(input: $input) { category { id name slug parentId } } }"""
    parent = data(editor_a, create, input={"translations": [{"language": "en", "name": "News"}]})
    parent_id = parent["createContentCategory"]["category"]["id"]
    child = data(
        editor_a, create, input={"parentId": parent_id, "translations": [{"language": "en", "name": "Sport"}]}
    )
    assert child["createContentCategory"]["category"]["parentId"] == parent_id
    update = """mutation($id: ID!, $input: ContentCategoryInput!) {
      updateContentCategory(id: $id, input: $input) { category { name slug } } }"""
    renamed = data(
        editor_a, update, id=parent_id, input={"translations": [{"language": "en", "name": "Updates"}]}
    )
    assert renamed["updateContentCategory"]["category"] == {"name": "Updates", "slug": "news"}
    delete = "mutation($id: ID!) { deleteContentCategory(id: $id) { ok } }"
    assert error(editor_a, delete, id=parent_id)["extensions"]["code"] == "CONFLICT"
    unknown = error(editor_a, update, id=parent_id, input={"parentId": "999999"})
    assert (unknown["extensions"]["code"], unknown["message"]) == (
        "INVALID",
        "parentId: Unknown category id(s): 999999.",
    )

    tag = data(
        editor_a,
        'mutation { createContentTag(translations: [{language: "en", name: "Python"}]) { tag { id slug } } }',
    )["createContentTag"]["tag"]
    assert tag["slug"] == "python"
    rename = """mutation($id: ID!) {
      updateContentTag(id: $id, translations: [{language: "ru", name: "Питон"}]) { tag { name } } }"""
    assert data(editor_a, rename, id=tag["id"])["updateContentTag"]["tag"]["name"] == "Python"
    assert data(editor_a, "mutation($id: ID!) { deleteContentTag(id: $id) { ok } }", id=tag["id"])[
        "deleteContentTag"
    ]["ok"]
    assert (
        error(editor_a, 'mutation { deleteContentTag(id: "999999") { ok } }')["extensions"]["code"]
        == "NOT_FOUND"
    )


def test_customers_cannot_manage_tags(tenant_a):
    _customer, client = signed_in(UserFactory, tenant_a)
    query = 'mutation { createContentTag(translations: [{language: "en", name: "x"}]) { tag { id } } }'
    assert error(client, query)["extensions"]["code"] == "PERMISSION_DENIED"


# --- query counts -----------------------------------------------------------------------------

PAGE = """
{ contentNodes(first: 50) { totalCount edges { cursor node {
  id title bodyHtml language url featuredImage author { displayName }
  categories { name slug children { name } } tags { name slug }
  translations { language title } allowedTransitions previewUrl
} } } }
"""


def _add_nodes(count: int) -> None:
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        categories = [make_category(actor=admin, name=f"Category {n}") for n in range(2)]
        tags = [make_tag(actor=admin, name=f"tag-{n}") for n in range(2)]
        for n in range(count):
            make_node(actor=admin, title=f"Node {n}", body="Some **text**.", categories=categories, tags=tags)


def test_a_page_of_nodes_costs_the_same_queries_for_5_and_20_nodes(tenant_a, django_assert_max_num_queries):
    _editor, client = signed_in(EditorFactory, tenant_a, relay=False)
    _add_nodes(5)
    data(client, PAGE)  # warms the module toggles' cache
    # routing (1), the token, the count, the page, its authors, categories, tags, subcategories
    with django_assert_max_num_queries(8) as five:
        assert len(data(client, PAGE)["contentNodes"]["edges"]) == 5
    _add_nodes(15)
    data(client, PAGE)  # the connection back on the site's schema after the writes, as before `five`
    with django_assert_max_num_queries(8) as twenty:
        assert len(data(client, PAGE)["contentNodes"]["edges"]) == 20
    assert len(twenty.captured_queries) == len(five.captured_queries)


def test_a_wrong_field_is_named_in_the_error_extensions(tenant_a):
    from tests.accounts.factories import EditorFactory
    from tests.conftest import bearer

    with schema_context("alpha"):
        editor = EditorFactory()
    client = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, editor))
    query = """mutation { createContentNode(input: {kind: PAGE, translations: [
        {language: "en", title: "Ok"}, {language: "ru", title: "Плохо", slug: "bad slug"}]})
        { node { id } } }"""
    [error] = client.post("/api/graphql/", {"query": query}, content_type="application/json").json()["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert list(error["extensions"]["fields"]) == ["slug_ru"]


def test_the_allowed_steps_are_those_the_user_may_take_the_same_in_rest_and_graphql(editor_a, tenant_a):
    from apps.accounts.models import User

    with schema_context("alpha"):
        editor = User.objects.get(email="editor@alpha.test")
        own = make_node(actor=editor, title="Mine")
        other = make_node(title="Someone else's")
    steps = {
        int(edge["node"]["id"]): edge["node"]["allowedTransitions"]
        for edge in data(editor_a, "{ contentNodes { edges { node { id allowedTransitions } } } }")[
            "contentNodes"
        ]["edges"]
    }
    # An editor submits their own drafts for review; publishing is for admins.
    assert steps == {own.pk: ["SUBMIT"], other.pk: []}
    rest = {
        node["id"]: node["allowed_transitions"]
        for node in editor_a.get("/api/v1/content/nodes/?kind=page").json()["results"]
    }
    assert rest == {own.pk: ["submit"], other.pk: []}


def test_with_content_off_its_fields_answer_null_and_the_rest_of_the_query_its_data(editor_a, tenant_a):
    from apps.core.services import set_module_enabled

    set_module_enabled(tenant=tenant_a, module="blog", enabled=False)  # blog depends on content
    set_module_enabled(tenant=tenant_a, module="content", enabled=False)
    body = gql(editor_a, "{ me { email } contentNodes { totalCount } contentTags { name } }")
    assert body["data"] == {"me": {"email": "editor@alpha.test"}, "contentNodes": None, "contentTags": None}
    assert {error["extensions"]["code"] for error in body["errors"]} == {"MODULE_DISABLED"}
    assert sorted(error["path"][0] for error in body["errors"]) == ["contentNodes", "contentTags"]
