"""Manifest of the site module: the site's settings, its home page and the storefront's frame."""

from rustok.modules import Module

module = Module(
    slug="site",
    name="Site",
    description="Site settings (name, tagline, logo, accent colour, footer, social links), the home "
    "page, robots.txt, the favicon and the layout every storefront page shares.",
    version="0.1.0",
    depends_on=("core",),
    core=True,
)
