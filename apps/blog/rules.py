"""Who may do what with posts: the content rules, under the names the admin asks for."""

import rules

from apps.content.rules import edits_node, is_writer

rules.add_perm("blog.view_post", is_writer)
rules.add_perm("blog.add_post", is_writer)
rules.add_perm("blog.change_post", edits_node)
rules.add_perm("blog.delete_post", edits_node)
rules.add_perm("blog", is_writer)
