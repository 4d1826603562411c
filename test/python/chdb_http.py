"""A ClickHouse HTTP interface over chdb, for tests.

Serves the subset of ClickHouse's HTTP protocol that @clickhouse/client uses,
backed by an in-process ClickHouse (chdb), so mlstream's real migration
runner, writer and analytics queries run unchanged against a current
ClickHouse engine (docs/clickhouse.md, "Current ClickHouse through chdb").

    python chdb_http.py --data DIR [--port 0] [--config FILE]

Prints `READY <port> <clickhouse version>` on stdout once it listens, and
stops when its stdin closes (the test process went away) or on SIGTERM.

Protocol subset:
- GET /ping -> `Ok.`
- GET|POST / with the query in the `query` parameter, the body, or both
  (ClickHouse joins them with a newline: an INSERT's data follows its query);
- `database`: the current database for the query;
- any other parameter is a ClickHouse setting for that query only (SET
  before, SET ... = DEFAULT after); HTTP-handler parameters such as
  `wait_end_of_query` are accepted and need nothing (every answer is
  buffered); `param_*` (query parameters) are refused, mlstream binds none;
- errors answer 500 with ClickHouse's `Code: N. DB::Exception: ...` text and
  the `X-ClickHouse-Exception-Code` header, as the server does.
Queries run one at a time (one chdb session behind a lock).
"""

import argparse
import json
import os
import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

os.environ.setdefault("TZ", "UTC")

from chdb import session as chdb_session  # noqa: E402 (TZ first)

# Parameters the ClickHouse HTTP handler reads itself; they are not settings.
HTTP_ONLY = {
    "query", "query_id", "database", "default_format", "session_id", "session_timeout", "session_check",
    "user", "password", "quota_key", "role", "compress", "decompress", "buffer_size", "wait_end_of_query",
    "enable_http_compression", "http_zlib_compression_level", "send_progress_in_http_headers",
    "http_headers_progress_interval_ms", "http_wait_end_of_query", "cancel_http_readonly_queries_on_client_close",
}
SETTING_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
ERROR_CODE = re.compile(r"Code: (\d+)\.")


def literal(value):
    if NUMBER.match(value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class Engine:
    def __init__(self, path, config):
        target = f"file:{path}?config-file={config}" if config else path
        self.session = chdb_session.Session(target)
        self.lock = threading.Lock()
        self.version = self._run("SELECT version()", "TabSeparated")[0].decode().strip()

    def _run(self, sql, fmt):
        result = self.session.query(sql, fmt)
        written = getattr(result, "rows_written", None)  # chdb >= 4
        return result.bytes(), int(result.rows_read()), int(written()) if written else 0

    def execute(self, sql, settings, database, fmt):
        """Runs one query with per-query settings; returns (body, summary)."""
        with self.lock:
            applied = []
            try:
                for name, value in settings:
                    self._run(f"SET {name} = {literal(value)}", "TabSeparated")
                    applied.append(name)
                if database:
                    self._run(f"USE {database}", "TabSeparated")
                body, read_rows, written_rows = self._run(sql, fmt)
                return body, {"read_rows": str(read_rows), "written_rows": str(written_rows)}
            finally:
                for name in applied:
                    self._run(f"SET {name} = DEFAULT", "TabSeparated")
                if database:
                    self._run("USE default", "TabSeparated")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    engine: Engine

    def log_message(self, format, *args):  # noqa: A002 (quiet: the test prints what matters)
        pass

    def _reply(self, status, body, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self, body):
        url = urlsplit(self.path)
        if url.path == "/ping":
            return self._reply(200, b"Ok.\n")
        if url.path != "/":
            return self._reply(404, b"Code: 0. DB::Exception: unknown path (NOT_FOUND)\n")
        params = parse_qsl(url.query, keep_blank_values=True)
        query = next((v for k, v in params if k == "query"), "")
        if self.headers.get("Content-Encoding"):
            return self._error("Code: 1. DB::Exception: compressed bodies are not supported by this shim (UNSUPPORTED_METHOD)")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._error("Code: 1. DB::Exception: the body is not UTF-8; this shim passes text to chdb (UNSUPPORTED_METHOD)")
        sql = f"{query}\n{text}" if query and text else (query or text)
        settings = []
        for name, value in params:
            if name.startswith("param_"):
                return self._error("Code: 1. DB::Exception: query parameters are not supported by this shim (UNSUPPORTED_METHOD)")
            if name in HTTP_ONLY:
                continue
            if not SETTING_NAME.match(name):
                return self._error(f"Code: 115. DB::Exception: Unknown setting {name!r} (UNKNOWN_SETTING)")
            settings.append((name, value))
        database = next((v for k, v in params if k == "database"), "")
        if database and not SETTING_NAME.match(database):
            return self._error("Code: 81. DB::Exception: bad database name (UNKNOWN_DATABASE)")
        fmt = next((v for k, v in params if k == "default_format"), "") or "TabSeparated"
        try:
            out, summary = self.engine.execute(sql, settings, database, fmt)
        except Exception as error:  # chdb raises ChdbError / RuntimeError with ClickHouse's text
            return self._error(str(error))
        query_id = next((v for k, v in params if k == "query_id"), "")
        self._reply(200, out, {"X-ClickHouse-Summary": json.dumps(summary), "X-ClickHouse-Query-Id": query_id})

    def _error(self, message):
        match = ERROR_CODE.search(message)
        code = match.group(1) if match else "1000"
        text = message if match else f"Code: {code}. DB::Exception: {message} (UNKNOWN_EXCEPTION)"
        self._reply(500, f"{text} (version {self.engine.version})\n".encode(), {"X-ClickHouse-Exception-Code": code})

    def do_GET(self):  # noqa: N802 (http.server's names)
        self._handle(b"")

    def do_POST(self):  # noqa: N802
        self._handle(self._body())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="folder for chdb's databases")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--config", default="", help="ClickHouse XML config (e.g. macros for Replicated DDL)")
    args = parser.parse_args()
    Handler.engine = Engine(args.data, args.config)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    threading.Thread(target=lambda: (sys.stdin.read(), stop()), daemon=True).start()
    print(f"READY {server.server_address[1]} {Handler.engine.version}", flush=True)
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
