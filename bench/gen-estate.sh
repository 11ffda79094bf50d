#!/bin/sh
# gen-estate.sh ROUTES POLICIES: print an estate for the effective
# benchmark: one Gateway with two HTTP listeners, ROUTES HTTPRoutes of two
# rules each, and POLICIES BackendTrafficPolicies: one on the Gateway, one
# per listener, the rest on routes (every 10th with mergeType, every 7th
# on a rule), with creationTimestamps so ordering is by time.
set -eu
routes=${1:-10000}
policies=${2:-2000}
awk -v R="$routes" -v P="$policies" 'BEGIN {
	print "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: eg\n  namespace: edge\nspec:\n  gatewayClassName: eg\n  listeners:"
	print "  - name: http\n    protocol: HTTP\n    port: 80\n    allowedRoutes:\n      namespaces:\n        from: All"
	print "  - name: alt\n    protocol: HTTP\n    port: 8080\n    allowedRoutes:\n      namespaces:\n        from: All"
	for (i = 0; i < R; i++) {
		printf "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r%d\n  namespace: ns%d\nspec:\n  parentRefs:\n  - name: eg\n    namespace: edge\n  rules:\n  - name: main\n    backendRefs:\n    - name: svc%d\n      port: 8080\n  - timeouts:\n      request: 5s\n    backendRefs:\n    - name: svc%d\n      port: 8080\n", i, i % 50, i, i
	}
	printf "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\nmetadata:\n  name: gw\n  namespace: edge\n  creationTimestamp: \"2024-01-01T00:00:00Z\"\nspec:\n  targetRefs:\n  - group: gateway.networking.k8s.io\n    kind: Gateway\n    name: eg\n  retry:\n    numRetries: 2\n  timeout:\n    http:\n      requestTimeout: 30s\n"
	printf "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\nmetadata:\n  name: alt\n  namespace: edge\n  creationTimestamp: \"2024-01-01T00:00:00Z\"\nspec:\n  targetRefs:\n  - group: gateway.networking.k8s.io\n    kind: Gateway\n    name: eg\n    sectionName: alt\n  circuitBreaker:\n    maxConnections: 4096\n"
	for (i = 0; i < P - 2; i++) {
		r = int(i * R / (P - 2))
		printf "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\nmetadata:\n  name: p%d\n  namespace: ns%d\n  creationTimestamp: \"2024-02-%02dT00:00:00Z\"\nspec:\n  targetRefs:\n  - group: gateway.networking.k8s.io\n    kind: HTTPRoute\n    name: r%d\n", i, r % 50, 1 + i % 28, r
		if (i % 7 == 3)
			printf "    sectionName: main\n"
		if (i % 10 == 0)
			printf "  mergeType: StrategicMerge\n"
		printf "  loadBalancer:\n    type: Random\n  retry:\n    numRetries: %d\n", 1 + i % 5
	}
}'
