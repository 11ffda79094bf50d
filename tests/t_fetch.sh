#!/bin/sh
# t_fetch.sh: URL inputs against a local HTTP server on 127.0.0.1 that this
# script starts (and stops): success, 404, an unreachable port, a redirect
# to a non-http scheme, the cache (server stopped, --offline, damaged blob).
set -u
. "$ROOT/tests/lib.sh"
tmp=$(mktemp -d)
srv_pid=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
if ! command -v python3 >/dev/null 2>&1; then
	echo "t_fetch: python3 missing (see .ci/run)"
	nok "python3 is needed for the local HTTP server"
	finish t_fetch
	exit
fi
mkdir -p "$tmp/www" "$tmp/cache"
cat >"$tmp/www/ok.yaml" <<'Y'
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata:
  name: remote
spec:
  targetRefs:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    name: remote
  timeout:
    tcp:
      connectTimeout: 10s
Y
printf 'a: 1\na: 2\n' >"$tmp/www/bad.yaml"
# A tiny server: files from www/, /redir-ok -> /ok.yaml, /redir-file ->
# file:///etc/hostname; prints its port, then serves until killed.
cat >"$tmp/server.py" <<'P'
import http.server, os, sys
root = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        if self.path == "/redir-ok":
            self.send_response(302); self.send_header("Location", "/ok.yaml"); self.end_headers(); return
        if self.path == "/redir-file":
            self.send_response(302); self.send_header("Location", "file:///etc/hostname"); self.end_headers(); return
        p = os.path.join(root, self.path.lstrip("/"))
        if not os.path.isfile(p):
            self.send_response(404); self.end_headers(); self.wfile.write(b"not found\n"); return
        data = open(p, "rb").read()
        self.send_response(200); self.send_header("Content-Length", str(len(data))); self.end_headers()
        self.wfile.write(data)
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
P
python3 "$tmp/server.py" "$tmp/www" >"$tmp/port" 2>"$tmp/server.err" &
srv_pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/port")
base="http://127.0.0.1:$port"
# a port nobody listens on: bind one, then close it
dead=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

export XDG_CACHE_HOME="$tmp/cache"
run() {
	# run ARGS...: sets rc and out (stdout+stderr), bounded in time
	out=$(timeout 60 "$BTPCTL" "$@" 2>&1)
	rc=$?
}
expect() {
	# expect DESC RC PATTERN
	if [ "$rc" = "$2" ] && printf '%s\n' "$out" | grep -q -- "$3"; then
		ok
	else
		nok "$1: exit $rc (want $2), output: $out"
	fi
}

run validate "$base/ok.yaml"
expect "fetch success" 0 ""
[ -z "$out" ] && ok || nok "fetch success printed: $out"
run validate -v "$base/ok.yaml"
expect "verbose counts the remote policy" 0 "1 BackendTrafficPolicy"
run validate "$base/bad.yaml"
expect "remote YAML error is located" 1 "^$base/bad.yaml:2:1: error: duplicate key"
run validate "$base/missing.yaml"
expect "404" 3 "HTTP status 404"
run validate "http://127.0.0.1:$dead/ok.yaml"
expect "unreachable port" 3 "cannot fetch"
run validate "$base/redir-ok"
expect "redirect to http" 0 ""
run validate "$base/redir-file"
expect "redirect to file:// refused" 3 "cannot fetch"
run validate -o json "$base/missing.yaml"
expect "json error output" 3 '"code": *"io"'
# the cache is content-addressed: one blob per distinct content
n=$(ls "$tmp/cache/btpctl/blobs" | wc -l)
[ "$n" -eq 2 ] && ok || nok "expected 2 cached blobs (ok.yaml, bad.yaml), found $n"
for b in "$tmp"/cache/btpctl/blobs/*; do
	[ "$(basename "$b" | wc -c)" -eq 33 ] && ok || nok "blob name is not a 128-bit hash: $b"
done

kill "$srv_pid" 2>/dev/null
wait "$srv_pid" 2>/dev/null
srv_pid=

run validate "$base/ok.yaml"
expect "cache hit with the server stopped" 0 "warning: cannot fetch.*using the copy cached at"
run validate --offline "$base/ok.yaml"
expect "--offline reads the cache" 0 ""
[ -z "$out" ] && ok || nok "--offline cache hit printed: $out"
run validate --offline "$base/other.yaml"
expect "--offline refuses an uncached URL" 3 "--offline forbids fetching"
run validate --offline "http://127.0.0.1:$dead/ok.yaml" "$base/ok.yaml"
expect "--offline: one bad input is exit 3" 3 "forbids"
# a damaged blob is not used
for b in "$tmp"/cache/btpctl/blobs/*; do printf 'x' >>"$b"; done
run validate --offline "$base/ok.yaml"
expect "damaged cache entry ignored" 3 "not in the cache"
XDG_CACHE_HOME= HOME="$tmp/home" run validate --offline "$base/ok.yaml"
expect "fallback cache dir (~/.cache) is empty" 3 "not in the cache"
finish t_fetch
