"""An OTLP/HTTP receiver for the tests: decodes what the exporter sends with the
opentelemetry-proto package (PyPI) and keeps it.

    with Receiver(mode="ok") as r:       # or "status:500", "slow:3"
        ... r.endpoint ...               # "http://127.0.0.1:<port>"
        r.traces(), r.metrics()          # decoded Export*ServiceRequest messages
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
)


class Receiver:
    def __init__(self, mode="ok"):
        self.mode = mode
        self.lock = threading.Lock()
        self.requests = []  # (path, headers dict, decoded message or None)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                decoded = None
                if self.path == "/v1/traces":
                    decoded = ExportTraceServiceRequest.FromString(body)
                elif self.path == "/v1/metrics":
                    decoded = ExportMetricsServiceRequest.FromString(body)
                with receiver.lock:
                    receiver.requests.append((self.path, dict(self.headers), decoded))
                status = 200 if decoded is not None else 404
                if receiver.mode.startswith("status:"):
                    status = int(receiver.mode.split(":")[1])
                elif receiver.mode.startswith("slow:"):
                    time.sleep(float(receiver.mode.split(":")[1]))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/x-protobuf")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the client gave up (its timeout)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _of(self, path):
        with self.lock:
            return [d for p, _, d in self.requests if p == path]

    def traces(self):
        return self._of("/v1/traces")

    def metrics(self):
        return self._of("/v1/metrics")

    def headers(self):
        with self.lock:
            return [h for _, h, _ in self.requests]


def spans_of(requests):
    """Every span of the trace requests, with its resource's attributes."""
    out = []
    for req in requests:
        for rs in req.resource_spans:
            res = {kv.key: kv.value.string_value for kv in rs.resource.attributes}
            for ss in rs.scope_spans:
                for sp in ss.spans:
                    out.append((res, ss.scope.name, sp))
    return out


def attrs(kvs):
    out = {}
    for kv in kvs:
        v = kv.value
        out[kv.key] = v.string_value if v.HasField("string_value") else v.int_value
    return out


def points_of(request):
    """{instrument name: (metric, [(attributes, value)])} of one metrics request."""
    out = {}
    for rm in request.resource_metrics:
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                data = m.sum if m.HasField("sum") else m.gauge
                out[m.name] = (m, [(attrs(p.attributes), p.as_double) for p in data.data_points])
    return out
