"""The content kind this module owns: posts."""

from django.utils.translation import gettext_lazy as _

from apps.content.kinds import Kind

POST = "post"
POST_ONLY = [POST]  # the kinds the posts API writes (its OpenAPI enum)

kinds = [Kind(slug=POST, module="blog", label=_("post"), path="/blog/{slug}/")]
