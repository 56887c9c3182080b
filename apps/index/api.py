"""REST route of the index module: GET /api/v1/search/."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.index import selectors
from apps.index.serializers import SearchParams, SearchResultSerializer
from rustok.permissions import PUBLIC


class SearchView(APIView):
    """Full-text search over the site's published documents, with facet counts."""

    access = PUBLIC

    @extend_schema(parameters=[SearchParams], responses=SearchResultSerializer, tags=["index"])
    def get(self, request):
        data = {key: request.query_params.get(key) for key in request.query_params}
        data["category"] = request.query_params.getlist("category")
        data["tag"] = request.query_params.getlist("tag")
        data["key"] = request.query_params.getlist("key")
        params = SearchParams(data=data)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        result = selectors.search(
            tenant=request.tenant,
            q=p.get("q", ""),
            types=p.get("type"),
            language=p.get("lang"),
            facets=p.get("facets"),
            categories=p.get("category"),
            tags=p.get("tag"),
            availability=p.get("availability", ""),
            price_min=p.get("price_min"),
            price_max=p.get("price_max"),
            keys=p.get("key"),
            sort=p.get("sort", ""),
            limit=p["limit"],
            offset=p["offset"],
        )
        return Response(SearchResultSerializer(result).data)


urlpatterns = [path("search/", SearchView.as_view(), name="search")]
