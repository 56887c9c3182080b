"""Manifest of the blog module: posts (content nodes of kind `post`), archives and feeds."""

from rustok.modules import Module

module = Module(
    slug="blog",
    name="Blog",
    description="Posts with authors, categories, tags and reading time; monthly archive; RSS and Atom.",
    version="0.1.0",
    depends_on=("content", "site"),
)
