"""GraphQL of the content module: nodes, their revisions, categories and tags.

Reads show what `selectors.visible_nodes` lets the user read (published nodes for everyone,
everything for editors and admins, nothing of a kind whose module is off); a node the user may
not read is null, or NOT_FOUND to a mutation, exactly as if it did not exist. Text is shown in the
request's language with the site's fallback, or in the `lang` a query field is given (for all it
returns, nested categories and tags included).

Mutations parse their input and call apps.content.services. Each declares the permission REST
declares for the same action (checked at the gate without the node, so customers are refused
whatever the id); the service checks it again against the node, and the workflow.

Readers' nodes are the published nodes' documents (apps.content.schema.documents): one query for
a page of them, in the shown language; editors and admins read the nodes.

Relations (authors, categories, tags, parents, children, revisions, subcategories) are read by
the request's loaders (rustok.dataloaders): one query for each relation asked at each level of
the query, whatever the page size.
"""

from apps.content.schema.mutations import Mutation
from apps.content.schema.queries import Query

__all__ = ["Mutation", "Query"]
