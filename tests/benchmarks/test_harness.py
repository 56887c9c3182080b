"""The pieces of `make bench`: reading wrk's report, the seeded site, and the rows it measures."""

import pytest
from django_tenants.utils import schema_context

from apps.accounts import services as accounts
from apps.content.models import Node
from apps.events.services import relay_all
from benchmarks.scratch import seed_content
from benchmarks.serving import parse_wrk, rows
from tests.accounts.factories import OwnerFactory
from tests.conftest import deliver

REPORT = """Running 5s test @ http://127.0.0.1:8000/blog/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   652.10ms   98.20ms   1.22s    80.00%
    Req/Sec    26.40     10.10    50.00     70.00%
  Latency Distribution
     50%  640.00ms
     75%  700.00ms
     90%  800.00ms
     99%    1.10s
  245 requests in 5.01s, 12.30MB read
{extra}Requests/sec:     48.90
Transfer/sec:      2.46MB
"""


def test_wrk_figures_are_read_in_milliseconds():
    result = parse_wrk(REPORT.format(extra=""))
    assert (result.requests, result.requests_per_second) == (245, 48.9)
    assert result.percentiles == {50: 640.0, 75: 700.0, 90: 800.0, 99: 1100.0}
    assert result.failures == 0


def test_refusals_and_socket_errors_counted_by_wrk_are_failures():
    extra = "  Socket errors: connect 0, read 2, write 0, timeout 1\n  Non-2xx or 3xx responses: 17\n"
    result = parse_wrk(REPORT.format(extra=extra))
    assert result.non_2xx_3xx == 17 and result.socket_errors == {"read": 2, "timeout": 1}
    assert result.failures == 20


def test_a_run_that_is_no_wrk_report_is_refused():
    with pytest.raises(ValueError):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused")


@pytest.mark.django_db
def test_every_row_answers_200_on_the_seeded_site(client_a):
    with schema_context("alpha"):
        owner = OwnerFactory()
        seed_content(owner, 2)
        relay_all()  # as seed_site does: what readers read is built before they ask
        assert Node.objects.filter(status="published").count() == 4
        auth = {
            "bearer": f"Bearer {accounts.start_session(user=owner, mode='bearer').access}",
            "token": "Token "
            + accounts.create_api_token(actor=owner, name="bench", user=owner, scopes=["accounts.view_user"])[
                1
            ],
        }
        post = Node.objects.filter(kind="post").first().slug_en
    deliver("alpha")  # as the bench does before timing: readers read the documents
    for row in rows(post):
        headers = {"HTTP_ACCEPT": row.accept}
        if row.auth:
            headers["HTTP_AUTHORIZATION"] = auth[row.auth]
        response = client_a.get(row.path, **headers)
        assert response.status_code == 200, (row.slug, response.content[:300])
        if row.slug == "graphql-posts":
            assert "errors" not in response.json()
