#!/bin/sh
# t_schema_crd_url.sh: validate --crd URL and explain --crd URL against a
# local HTTP server on 127.0.0.1 that this script starts and stops: the
# fetched CRD is the one used, a missing CRD is exit 3, --offline reads the
# cached copy and fails (exit 3) for a URL never fetched.
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
	nok "python3 is needed for the local HTTP server (see .ci/run)"
	finish t_schema_crd_url
	exit
fi
mkdir -p "$tmp/www" "$tmp/cache"
cp "$ROOT/schemas/gateway.envoyproxy.io_backendtrafficpolicies.v1.8.0.yaml" "$tmp/www/crd18.yaml"
cp "$ROOT/tests/cases/validate-api-version-v18/policy.yaml" "$tmp/policy.yaml"
cat >"$tmp/server.py" <<'P'
import http.server, functools, sys
H = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
H.log_message = lambda *a: None
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
export XDG_CACHE_HOME="$tmp/cache"

# the v1.8.0 CRD by URL gives the same verdict as --api-version v1.8
"$BTPCTL" validate --crd "$base/crd18.yaml" "$tmp/policy.yaml" >"$tmp/url.out" 2>&1
rc=$?
"$BTPCTL" validate --api-version v1.8 "$tmp/policy.yaml" >"$tmp/emb.out" 2>&1
check "validate --crd URL exits 1 on the v1.8-only errors" [ "$rc" = 1 ]
check "validate --crd URL finds what --api-version v1.8 finds" cmp -s "$tmp/url.out" "$tmp/emb.out"
check "the v1.8.0 CRD has no requestBody" grep -q 'unknown field "spec.healthCheck.active.http.requestBody"' "$tmp/url.out"

"$BTPCTL" explain --crd "$base/crd18.yaml" spec.rateLimit.local.rules.limit.requests >"$tmp/explain.out" 2>&1
check "explain --crd URL reads the fetched CRD" grep -q 'format: int32' "$tmp/explain.out"

"$BTPCTL" validate --crd "$base/missing.yaml" "$tmp/policy.yaml" >"$tmp/missing.out" 2>&1
rc=$?
check "a CRD URL that answers 404 is exit 3" [ "$rc" = 3 ]

"$BTPCTL" validate --offline --crd "$base/crd18.yaml" "$tmp/policy.yaml" >"$tmp/offline.out" 2>&1
rc=$?
check "--offline uses the cached CRD" [ "$rc" = 1 ]
check "--offline gives the same verdict" cmp -s "$tmp/offline.out" "$tmp/emb.out"

"$BTPCTL" validate --offline --crd "$base/never.yaml" "$tmp/policy.yaml" >"$tmp/never.out" 2>&1
rc=$?
check "--offline with a CRD URL never fetched is exit 3" [ "$rc" = 3 ]
check "--offline says why" grep -q 'offline' "$tmp/never.out"
finish t_schema_crd_url
