"""The access matrix of content (tests/access_matrix.py): nodes, their workflow, revisions and
image, categories and tags, over REST and GraphQL.

What apps/content/rules.py says, and so what the variants test: editors write; they change,
delete and restore only their own drafts, and submit only their own nodes; admins and owners
do everything, publishing, rejecting, unpublishing, archiving, unarchiving and scheduling
included. Drafts, nodes in review and the archive are seen only by editors and admins (and by
tokens holding `content.view_node`): to everyone else they do not exist (404, GraphQL NOT_FOUND
or null), whatever else they may do.

The nodes are made by the editor persona (`own_*`: their own) or by another editor
(`others_draft`); `node_entries` serves the blog's posts too.
"""

from __future__ import annotations

from apps.accounts.models import Role
from rustok.permissions import PUBLIC, SIGNED_IN
from tests.access_matrix import ADMINS, EVERYONE, NULL, SECRET, WRITERS, Hidden, On, graphql, rest
from tests.accounts.factories import EditorFactory, SiteAdminFactory
from tests.content.factories import make_category, make_node, make_tag
from tests.site.factories import image_upload

DRAFTS = Hidden(roles=WRITERS, scope="content.view_node")
QUIET_DRAFTS = Hidden(roles=WRITERS, scope="content.view_node", answer=NULL)
STATES = {
    "own_draft": "draft",
    "own_in_review": "in_review",
    "own_published": "published",
    "own_archived": "archived",
    "others_draft": "draft",
}


def build_nodes(world, kind: str) -> None:
    """A node of `kind` in each state, as `<kind>:<state>` (refs: pk, the first revision's
    `number`, the `last` one's, the `slug`)."""
    editor = world.users[Role.EDITOR]
    if "other_editor" not in world.users:
        world.users["other_editor"] = EditorFactory(email="other-editor@alpha.test")
    for name, status in STATES.items():
        author = world.users["other_editor"] if name.startswith("others") else editor
        node = make_node(
            actor=author,
            kind=kind,
            title=f"{kind} {name}",
            status=status,
            publisher=world.users[Role.ADMIN],
        )
        numbers = list(node.revisions.order_by("number").values_list("number", flat=True))
        world.add(f"{kind}:{name}", node, number=numbers[0], last=numbers[-1], slug=node.slug)


def build(world) -> None:
    build_nodes(world, "page")
    admin = world.users[Role.ADMIN]
    world.add("category", make_category(actor=admin, name="Teas"))
    world.add("tag", make_tag(actor=admin, name="green"))


def build_foreign() -> None:
    """The other tenant's page, category and tag, which no answer here may show."""
    admin = SiteAdminFactory(email=f"writer-{SECRET}@beta.test")
    make_node(actor=admin, kind="page", title=SECRET, status="published")
    make_category(actor=admin, name=SECRET)
    make_tag(actor=admin, name=SECRET)


def _image(world, refs) -> dict:
    return {"image": image_upload()}


def node_entries(base: str, kind: str, create: dict) -> list:
    """The REST entries of the node routes under `base` (content/nodes, blog/posts) for `kind`."""

    def on(state: str, allowed, **options) -> On:
        hidden = None if state.endswith("published") else DRAFTS
        return On(state, allowed, obj=f"{kind}:{state}", hidden=hidden, **options)

    def edits(body=None) -> list[On]:
        """Changing a node: editors their own drafts only, admins every node."""
        allowed = {"own_draft": WRITERS, "others_draft": ADMINS, "own_published": ADMINS}
        return [on(state, roles, body=body) for state, roles in allowed.items()]

    item = f"{base}{{pk}}/"
    change = "content.change_node"
    changed = {"title": f"A changed {kind}"}
    return [
        rest(f"GET {base}", PUBLIC, On("all", EVERYONE)),
        rest(f"POST {base}", "content.add_node", On("new", WRITERS, body=create), status=201),
        rest(f"GET {item}", PUBLIC, on("own_published", EVERYONE), on("own_draft", EVERYONE)),
        rest(f"PUT {item}", change, *edits(changed)),
        rest(f"PATCH {item}", change, *edits(changed)),
        rest(f"DELETE {item}", "content.delete_node", *edits()),
        rest(
            f"POST {item}submit/", "content.submit_node", on("own_draft", WRITERS), on("others_draft", ADMINS)
        ),
        rest(f"POST {item}publish/", "content.publish_node", on("own_draft", ADMINS)),
        rest(f"POST {item}reject/", "content.reject_node", on("own_in_review", ADMINS)),
        rest(f"POST {item}unpublish/", "content.unpublish_node", on("own_published", ADMINS)),
        rest(f"POST {item}archive/", "content.archive_node", on("own_published", ADMINS)),
        rest(f"POST {item}unarchive/", "content.unarchive_node", on("own_archived", ADMINS)),
        rest(
            f"POST {item}schedule/",
            "content.schedule_node",
            on("own_draft", ADMINS, body={"publish_at": "2099-11-30T09:00:00Z"}),
        ),
        rest(f"PUT {item}image/", change, *edits(_image), multipart=True),
        rest(f"DELETE {item}image/", change, *edits()),
        rest(
            f"GET {item}revisions/",
            "content.view_revision",
            on("own_published", WRITERS),
            on("others_draft", WRITERS),
        ),
        rest(f"GET {item}revisions/{{number}}/", "content.view_revision", on("own_published", WRITERS)),
        rest(
            f"GET {item}revisions/compare/",
            "content.view_revision",
            on("own_published", WRITERS),
            query="old={number}&new={last}",
        ),
        rest(f"POST {item}revisions/{{number}}/restore/", "content.restore_revision", *edits()),
    ]


def _taxonomy(base: str, obj: str) -> list:
    item = f"{base}{{pk}}/"
    manage = "content.manage_taxonomy"
    return [
        rest(f"GET {base}", PUBLIC, On("all", EVERYONE)),
        rest(f"POST {base}", manage, On("new", WRITERS, body={"name": "Fresh"}), status=201),
        rest(f"GET {item}", PUBLIC, On(obj, EVERYONE, obj=obj)),
        rest(f"PUT {item}", manage, On(obj, WRITERS, obj=obj, body={"name": "Renamed"})),
        rest(f"PATCH {item}", manage, On(obj, WRITERS, obj=obj, body={"name": "Renamed"})),
        rest(f"DELETE {item}", manage, On(obj, WRITERS, obj=obj)),
    ]


def _id(world, refs) -> dict:
    return {"id": refs["pk"]}


def _node_id(world, refs) -> dict:
    return {"nodeId": refs["pk"]}


def _gql(state: str, allowed, answer=DRAFTS, *, name: str = "", **options) -> On:
    """A variant on the page in `state`, hidden (`answer`) unless it is published."""
    hidden = None if state.endswith("published") else answer
    return On(name or state, allowed, obj=f"page:{state}", hidden=hidden, **options)


def _step(state: str, allowed, step: str) -> On:
    """Taking the workflow `step` on the page in `state`: it needs `content.<step>_node`."""
    return _gql(
        state,
        allowed,
        name=f"{state}_{step}",
        body=lambda world, refs: {"id": refs["pk"], "transition": step.upper()},
        scope=f"content.{step}_node",
    )


EDITS = [("own_draft", WRITERS), ("others_draft", ADMINS), ("own_published", ADMINS)]
TAXONOMY = "content.manage_taxonomy"
TEXT = [{"language": "en", "name": "Fresh"}]


def _update(world, refs) -> dict:
    return {"id": refs["pk"], "input": {"translations": [{"language": "en", "title": "Changed"}]}}


ENTRIES = [
    *node_entries("/api/v1/content/nodes/", "page", {"kind": "page", "title": "A new page"}),
    *_taxonomy("/api/v1/content/categories/", "category"),
    *_taxonomy("/api/v1/content/tags/", "tag"),
    # GraphQL.
    graphql(
        "Query.contentNodes", PUBLIC, "query { contentNodes(first: 5) { totalCount } }", On("all", EVERYONE)
    ),
    graphql(
        "Query.contentNode",
        PUBLIC,
        "query($id: ID!) { contentNode(id: $id) { id title } }",
        _gql("own_published", EVERYONE, body=_id),
        _gql("own_draft", EVERYONE, QUIET_DRAFTS, body=_id),
    ),
    graphql(
        "Query.contentNodeBySlug",
        PUBLIC,
        "query($slug: String!) { contentNodeBySlug(kind: PAGE, slug: $slug) { id } }",
        _gql("own_published", EVERYONE, body=lambda world, refs: {"slug": refs["slug"]}),
        _gql("own_draft", EVERYONE, QUIET_DRAFTS, body=lambda world, refs: {"slug": refs["slug"]}),
    ),
    graphql(
        "Query.contentCategories", PUBLIC, "query { contentCategories { id name } }", On("all", EVERYONE)
    ),
    graphql("Query.contentTags", PUBLIC, "query { contentTags { id name } }", On("all", EVERYONE)),
    graphql(
        "Query.contentRevisions",
        "content.view_revision",
        "query($nodeId: ID!) { contentRevisions(nodeId: $nodeId) { number } }",
        _gql("own_published", WRITERS, body=_node_id),
        _gql("others_draft", WRITERS, body=_node_id),
    ),
    graphql(
        "Query.contentRevisionCompare",
        "content.view_revision",
        "query($nodeId: ID!, $old: Int!, $new: Int!) "
        "{ contentRevisionCompare(nodeId: $nodeId, old: $old, new: $new) { old new } }",
        _gql(
            "own_published",
            WRITERS,
            body=lambda world, refs: {"nodeId": refs["pk"], "old": refs["number"], "new": refs["last"]},
        ),
    ),
    graphql(
        "Mutation.createContentNode",
        "content.add_node",
        "mutation($input: CreateContentNodeInput!) { createContentNode(input: $input) { node { id } } }",
        On(
            "new",
            WRITERS,
            body={"input": {"kind": "PAGE", "translations": [{"language": "en", "title": "New"}]}},
        ),
    ),
    graphql(
        "Mutation.updateContentNode",
        "content.change_node",
        "mutation($id: ID!, $input: UpdateContentNodeInput!) "
        "{ updateContentNode(id: $id, input: $input) { node { id status } } }",
        *(_gql(state, allowed, body=_update) for state, allowed in EDITS),
    ),
    graphql(
        "Mutation.transitionContentNode",
        SIGNED_IN,
        "mutation($id: ID!, $transition: ContentTransition!) "
        "{ transitionContentNode(id: $id, transition: $transition) { node { id status } } }",
        _step("own_draft", WRITERS, "submit"),
        _step("others_draft", ADMINS, "submit"),
        _step("own_draft", ADMINS, "publish"),
        _step("own_in_review", ADMINS, "reject"),
        _step("own_published", ADMINS, "unpublish"),
    ),
    graphql(
        "Mutation.scheduleContentNode",
        "content.schedule_node",
        "mutation($id: ID!, $at: DateTime) "
        "{ scheduleContentNode(id: $id, publishAt: $at) { node { id publishAt } } }",
        _gql(
            "own_draft",
            ADMINS,
            body=lambda world, refs: {"id": refs["pk"], "at": "2099-11-30T09:00:00+00:00"},
        ),
    ),
    graphql(
        "Mutation.deleteContentNode",
        "content.delete_node",
        "mutation($id: ID!) { deleteContentNode(id: $id) { ok id } }",
        *(_gql(state, allowed, body=_id) for state, allowed in EDITS),
    ),
    graphql(
        "Mutation.restoreContentRevision",
        "content.restore_revision",
        "mutation($nodeId: ID!, $number: Int!) "
        "{ restoreContentRevision(nodeId: $nodeId, number: $number) { node { id } } }",
        *(
            _gql(state, allowed, body=lambda world, refs: {"nodeId": refs["pk"], "number": refs["number"]})
            for state, allowed in EDITS
        ),
    ),
    graphql(
        "Mutation.createContentCategory",
        TAXONOMY,
        "mutation($input: ContentCategoryInput!) "
        "{ createContentCategory(input: $input) { category { id } } }",
        On("new", WRITERS, body={"input": {"translations": TEXT}}),
    ),
    graphql(
        "Mutation.updateContentCategory",
        TAXONOMY,
        "mutation($id: ID!, $input: ContentCategoryInput!) "
        "{ updateContentCategory(id: $id, input: $input) { category { id name } } }",
        On(
            "category",
            WRITERS,
            obj="category",
            body=lambda world, refs: {"id": refs["pk"], "input": {"translations": TEXT}},
        ),
    ),
    graphql(
        "Mutation.deleteContentCategory",
        TAXONOMY,
        "mutation($id: ID!) { deleteContentCategory(id: $id) { ok } }",
        On("category", WRITERS, obj="category", body=_id),
    ),
    graphql(
        "Mutation.createContentTag",
        TAXONOMY,
        "mutation($text: [ContentTagTranslationInput!]!) "
        "{ createContentTag(translations: $text) { tag { id } } }",
        On("new", WRITERS, body={"text": TEXT}),
    ),
    graphql(
        "Mutation.updateContentTag",
        TAXONOMY,
        "mutation($id: ID!, $text: [ContentTagTranslationInput!]!) "
        "{ updateContentTag(id: $id, translations: $text) { tag { id name } } }",
        On("tag", WRITERS, obj="tag", body=lambda world, refs: {"id": refs["pk"], "text": TEXT}),
    ),
    graphql(
        "Mutation.deleteContentTag",
        TAXONOMY,
        "mutation($id: ID!) { deleteContentTag(id: $id) { ok } }",
        On("tag", WRITERS, obj="tag", body=_id),
    ),
]
