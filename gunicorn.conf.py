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
# routes: the bot's DELETE /routes/report-routes/ repeats unit_ids in the query string; the
# default 4094-byte request line answers an HTML 414 past ~280 ids. 8190 is gunicorn's maximum.
limit_request_line = 8190
# TLS straight from gunicorn when both are given (README: "Running behind TLS").
certfile = os.environ.get("TLS_CERTFILE") or None
keyfile = os.environ.get("TLS_KEYFILE") or None

# --- one log format for gunicorn and Django (common/logs.py) ---------------
# UTC ISO-8601 time, level, logger, request id; LOG_FORMAT=json for JSON lines. The access
# line: client, method, path (no query string: it may carry a secret), status, bytes, duration.
logger_class = "common.logs.GunicornLogger"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'

# --- worker recycling never takes the whole server away ---------------------
# Workers are recycled after max_requests (+ up to jitter) requests to bound memory growth.
# Without preloading, a new worker imports Django and every app (seconds on a busy 2-core
# host), and two workers that share the load evenly reach their limit together: once no request
# was answered for 8 s. Preloaded, a new worker is a fork of a master that has already imported
# the app and the URLconf (milliseconds), and a wide jitter spreads the recycles apart.
# bench/recycle_gap.py measures both (longest gap with no completed request, p99).
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").strip().lower() not in ("0", "false", "no", "off")
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 2)))

# --- a control socket of this instance's own (gunicornc) --------------------
# gunicorn's default, ~/.gunicorn/gunicorn.ctl, is shared by every instance of one user, and
# each start deletes the previous one's. One per bound address here (only one instance can hold
# it); GUNICORN_CONTROL_SOCKET=PATH to choose, =none for no control socket.
_control = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control.lower() in ("none", "off", "false", "0"):
    control_socket_disable = True
else:
    _data_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".data")
    _name = "gunicorn-" + bind.replace("/", "_").replace(":", "-") + ".ctl"
    control_socket = _control or os.path.join(_data_dir, _name)
    if len(control_socket.encode()) > 100:  # a Unix socket path holds ~107 bytes
        control_socket_disable = True


def when_ready(server):
    if server.cfg.preload_app:
        # Import every app's URLconf and views once, in the master, instead of on each new
        # worker's first request; leave no database connection to be inherited by the forks.
        from django.db import connections
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 (the import is the point)
        connections.close_all()


def post_fork(server, worker):
    # Objects that exist now are never collected: fewer, shorter GC pauses (p99 50 → 16 ms).
    gc.freeze()


# --- Prometheus metrics across workers -------------------------------------
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
