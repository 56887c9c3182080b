"""What readers get from GraphQL: published nodes read from their documents (apps.content.readings).

Readers (anyone who does not see drafts: anonymous callers, customers, API tokens without
`content.view_node`) get the nodes of `contentNodes`, `contentNode` and `contentNodeBySlug`, and
their parents and children, as `ReadNode`s: a node's document in the language the root field shows
(its `lang`, else the request's), which already holds what a reader is shown, so a page of nodes is
one query on the documents and one for the count. Editors and admins keep reading the nodes
(drafts, translations, allowed steps), and a mutation answers from the node it wrote.

`ContentNode` resolves both: what it reads of a node, a ReadNode has under the same name, already
in its language; the few relations that differ (author, parent, children, categories, tags) look
at which one they were given.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from apps.content import readings
from apps.content.models import Status
from apps.content.selectors import readers_see_drafts
from apps.index.models import Document
from rustok.dataloaders import Loader


def reads_documents(info) -> bool:
    """Whether the caller is a reader, answered from the documents (not an editor or admin)."""
    return not readers_see_drafts(info.context.user)


class ReadNode(readings.Reading):
    """A published node as a reader's GraphQL answer shows it: its document in one language, with
    the attributes ContentNode reads of a node (text in that language, `body` as written)."""

    status = Status.PUBLISHED.value
    publish_at = None

    @property
    def body(self) -> str:
        """The text as written, in `body_format` (Reading.body is the HTML pages insert)."""
        return self.detail["body"]

    @property
    def body_html(self) -> str:
        return self.detail["body_html"]

    @property
    def body_format(self) -> str:
        return self.detail["body_format"]

    @property
    def seo_description(self) -> str:
        return self.detail["seo_description"]

    @property
    def read_in(self) -> str:
        """The language of the document: the readers' language it was made for."""
        return self.document.language


def published(kind: str | None = None, language: str | None = None) -> QuerySet[Document]:
    """The documents of the published nodes of `kind` (every enabled kind for None) in `language`
    (the active one for None), with their page texts, newest first."""
    return readings.newest_first(readings.documents(kind, language=language, detail=True))


def _by_language(keys) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for language, pk in keys:
        grouped[language].append(pk)
    return grouped


def _nodes(request, keys) -> dict:
    """(language, id) -> the ReadNode of that published node in that language."""
    found = {}
    for language, ids in _by_language(keys).items():
        documents = readings.documents(language=language, detail=True).filter(
            object_id__in=[str(pk) for pk in ids]
        )
        found.update({(language, int(d.object_id)): ReadNode(d) for d in documents})
    return found


def _children(request, keys) -> dict:
    """(language, id) -> the ReadNodes of the published nodes under that node, in tree order."""
    found: dict[tuple, list[ReadNode]] = defaultdict(list)
    for language, ids in _by_language(keys).items():
        documents = readings.documents(language=language, detail=True).filter(
            keys__overlap=[f"parent:{pk}" for pk in ids]
        )
        for document in readings.in_tree_order(documents):
            node = ReadNode(document)
            found[(language, node.parent_id)].append(node)
    return found


# A reader's parents and children: documents in the language of the node they are asked of.
read_node = Loader("content.read_node", _nodes)
read_children = Loader("content.read_children", _children, default=list)


def parent_of(info, node: ReadNode):
    """The published parent of `node`, in `node`'s language (null when it has none readers see)."""
    if node.parent_id is None:
        return None
    return read_node.load(info, (node.read_in, node.parent_id))


def children_of(info, node: ReadNode):
    """The published nodes under `node`, in `node`'s language and their order among siblings."""
    return read_children.load(info, (node.read_in, node.pk))
