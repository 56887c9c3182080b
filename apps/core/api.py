"""REST routes of the core module: the site this host serves."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.serializers import SiteSerializer
from rustok.permissions import PUBLIC


class SiteView(APIView):
    """The tenant served at this host: its name, languages, currency and enabled modules."""

    access = PUBLIC

    @extend_schema(responses=SiteSerializer, operation_id="site_retrieve", tags=["core"])
    def get(self, request):
        return Response(SiteSerializer(request.tenant).data)


urlpatterns = [path("site/", SiteView.as_view(), name="site")]
