"""The content kind this module owns: posts."""

from django.utils.translation import gettext_lazy as _

from apps.content.kinds import Kind

POST = "post"

kinds = [Kind(slug=POST, module="blog", label=_("post"), path="/blog/{slug}/")]
