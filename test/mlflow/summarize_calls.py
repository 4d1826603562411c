"""Print a compact, ordered view of a JSONL capture: method path status + trimmed bodies."""
import json
import sys

W = int(sys.argv[2]) if len(sys.argv) > 2 else 600
for line in open(sys.argv[1]):
    r = json.loads(line)
    print("%s %s -> %s (%.0f ms)" % (r["method"], r["path"], r["status"], r.get("ms", 0)))
    for k in ("req_body", "req_bytes", "resp_body", "resp_bytes", "resp_text_prefix"):
        if k in r:
            print("    %s: %s" % (k, json.dumps(r[k])[:W]))
