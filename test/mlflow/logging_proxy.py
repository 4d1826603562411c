"""Logging reverse proxy for recording the MLflow client <-> server HTTP conversation.

Usage: python logging_proxy.py --listen 5056 --upstream 127.0.0.1:5055 --out calls.jsonl

Every request/response pair is appended to the JSONL file as one object:
  {seq, t, ms, method, path, req_headers, req_body | req_bytes, status, resp_headers, resp_body | resp_bytes}
JSON bodies are stored parsed; other bodies as a byte count (plus a short text prefix when printable).
The output file can be switched while running: POST /__proxy/switch?out=<path> (not forwarded).
Standard library only.
"""
import argparse
import http.client
import http.server
import json
import socketserver
import threading
import time
import urllib.parse

HEADERS_OF_INTEREST = (
    "content-type", "content-length", "user-agent", "authorization", "accept",
    "transfer-encoding", "content-encoding", "x-mlflow-", "range",
)
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
              "te", "trailers", "transfer-encoding", "upgrade"}

_lock = threading.Lock()
_seq = [0]
_out = [None]


def _interesting(headers):
    out = {}
    for k, v in headers.items():
        lk = k.lower()
        if any(lk == h or (h.endswith("-") and lk.startswith(h)) for h in HEADERS_OF_INTEREST):
            out[lk] = v if lk != "authorization" else "<redacted>"
    return out


def _body_repr(raw, content_type, prefix):
    if not raw:
        return {}
    ct = (content_type or "").lower()
    if "json" in ct or raw[:1] in (b"{", b"["):
        try:
            return {prefix + "_body": json.loads(raw.decode("utf-8"))}
        except Exception:
            pass
    d = {prefix + "_bytes": len(raw)}
    try:
        txt = raw[:200].decode("utf-8")
        if txt.isprintable() or "\n" in txt:
            d[prefix + "_text_prefix"] = txt
    except Exception:
        pass
    return d


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = ("127.0.0.1", 5055)

    def log_message(self, fmt, *args):  # quiet
        pass

    def _read_body(self):
        te = self.headers.get("Transfer-Encoding", "")
        if "chunked" in te.lower():
            chunks = []
            while True:
                line = self.rfile.readline().strip()
                size = int(line.split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        n = int(self.headers.get("Content-Length", "0") or 0)
        return self.rfile.read(n) if n else b""

    def _handle(self):
        body = self._read_body()
        if self.path.startswith("/__proxy/switch"):
            q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
            with _lock:
                if _out[0]:
                    _out[0].close()
                _out[0] = open(q["out"][0], "a", buffering=1)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        t0 = time.time()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
        headers["Host"] = "%s:%d" % self.upstream
        if body or self.command in ("POST", "PUT", "PATCH"):
            headers["Content-Length"] = str(len(body))
        conn = http.client.HTTPConnection(*self.upstream, timeout=600)
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        rbody = resp.read()
        conn.close()
        ms = (time.time() - t0) * 1000
        self.send_response(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() in HOP_BY_HOP or k.lower() == "content-length":
                continue
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(rbody)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(rbody)
        rec = {
            "t": round(t0, 3), "ms": round(ms, 1), "method": self.command, "path": self.path,
            "req_headers": _interesting(self.headers),
        }
        rec.update(_body_repr(body, self.headers.get("Content-Type"), "req"))
        rec["status"] = resp.status
        rec["resp_headers"] = _interesting(dict(resp.getheaders()))
        rec.update(_body_repr(rbody, resp.getheader("Content-Type"), "resp"))
        with _lock:
            _seq[0] += 1
            rec = {"seq": _seq[0], **rec}
            if _out[0]:
                _out[0].write(json.dumps(rec) + "\n")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, default=5056)
    ap.add_argument("--upstream", default="127.0.0.1:5055")
    ap.add_argument("--out", default="calls.jsonl")
    a = ap.parse_args()
    host, port = a.upstream.rsplit(":", 1)
    Handler.upstream = (host, int(port))
    _out[0] = open(a.out, "a", buffering=1)
    Server(("127.0.0.1", a.listen), Handler).serve_forever()


if __name__ == "__main__":
    main()
