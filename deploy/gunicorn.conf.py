"""gunicorn settings: sync workers, one per core (at least 2), chosen from measured figures.

The request path is Python that keeps the CPU busy (templates, the ORM, serialisers) and waits
little (PostgreSQL and Redis on the same network), and one worker runs one thread of Python at a
time, so threads inside a worker add no throughput on a small machine, only requests queued
behind each other in one process. Measured on 2 cores (docs/operations.md, "Serving: figures"):
in the review that chose this, sync answered the blog index at 44.7 req/s against gthread's
42.7 with a p99 of 764 ms against 1,220, and the GraphQL list at 50 against 27 req/s in 2 of 3
rounds; side by side in the same rounds (`make bench WORKER_CLASS=sync,gthread`, on a loaded
machine) neither was ahead on the platform's rows, and gthread's keep-alive made only the bare
view faster.

Sync workers close the connection after each answer and give a slow client the whole worker:
serve them behind a proxy that buffers (nginx, the ingress), as gunicorn advises. For clients
that connect directly or requests that wait long on outside calls, WEB_WORKER_CLASS=gthread
with WEB_THREADS threads.
"""

import multiprocessing
import os

worker_class = os.environ.get("WEB_WORKER_CLASS", "sync")
workers = int(os.environ.get("WEB_WORKERS", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("WEB_THREADS", "4"))  # of a gthread worker
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
