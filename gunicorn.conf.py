"""gunicorn settings (DECISIONS §5, §7): sync workers, persistent DB connections, gc.freeze."""

import gc
import glob
import os
import shutil
import tempfile

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
max_requests = 5000
# routes: the bot's DELETE /routes/report-routes/ repeats unit_ids in the query string; the
# default 4094-byte request line answers an HTML 414 past ~280 ids. 8190 is gunicorn's maximum.
limit_request_line = 8190
max_requests_jitter = 500
# TLS straight from gunicorn when both are given (README: "Running behind TLS").
certfile = os.environ.get("TLS_CERTFILE") or None
keyfile = os.environ.get("TLS_KEYFILE") or None


def post_fork(server, worker):
    # Objects that exist now are never collected: fewer, shorter GC pauses (p99 50 → 16 ms).
    gc.freeze()


# --- Prometheus metrics across workers (issue 12, item 2) -------------------------------------
# Every worker writes its counters to PROMETHEUS_MULTIPROC_DIR and /metrics adds them up, so a
# scrape sees every worker (and the requests of recycled ones). Set here, in the master, before
# any worker imports prometheus_client; a private directory when the operator gives none.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # Marked ours (the mark survives a SIGHUP reload of this file) so that on_exit removes it.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ["GUNICORN_OWN_METRICS_DIR"] = tempfile.mkdtemp(
        prefix="five-apis-metrics-"
    )
_metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"]
os.makedirs(_metrics_dir, exist_ok=True)


def on_starting(server):
    # The files of a previous run would be added to this one's counts.
    for stale in glob.glob(os.path.join(_metrics_dir, "*.db")):
        os.remove(stale)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if os.environ.get("GUNICORN_OWN_METRICS_DIR") == _metrics_dir:
        shutil.rmtree(_metrics_dir, ignore_errors=True)
