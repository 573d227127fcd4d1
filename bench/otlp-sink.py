#!/usr/bin/env python3
"""A do-nothing OTLP/HTTP receiver for benchmarks: answers every POST with 200 and counts what it received.

   bench/otlp-sink.py PORT      (prints "exports N, bytes B" on SIGINT/SIGTERM)
Used to measure the data path with --otlp-endpoint on (BENCH_BROKER_ENV="AGENT_VAULT_OTLP_ENDPOINT=http://127.0.0.1:PORT").
"""
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counts = {"exports": 0, "bytes": 0}


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        counts["exports"] += 1
        counts["bytes"] += length
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def stop(*_):
    print(f"exports {counts['exports']}, bytes {counts['bytes']}", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
