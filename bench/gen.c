/*
 * gen.c: write a corpus of realistic, valid BackendTrafficPolicy documents
 * as one multi-document YAML stream.  Every field family of the upstream
 * API appears (targets, load balancers with each consistent-hash type and
 * slow start, circuit breaker, active HTTP/TCP/GRPC and passive health
 * checks, retry with triggers, status codes, per-retry timeout and
 * back-off, TCP and HTTP timeouts, TCP keepalive, buffer limits, HTTP/2,
 * proxy protocol, DNS, useClientProtocol), each in a share of the
 * policies, with values varying from one policy to the next.
 *
 *   gen N FILE
 *
 * Deterministic: the same N gives the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>

static const char *const kinds[] = { "HTTPRoute", "GRPCRoute", "Gateway" };
static const char *const triggers[] = { "connect-failure", "reset",
    "retriable-status-codes", "gateway-error", "5xx", "refused-stream" };

static void
load_balancer(FILE *f, unsigned long i, unsigned long v)
{
	fputs("  loadBalancer:\n", f);
	switch (i % 7) {
	case 0:
		fputs("    type: ConsistentHash\n    consistentHash:\n      type: Header\n"
		    "      header:\n        name: x-user-id\n      tableSize: 65537\n", f);
		break;
	case 1:
		fprintf(f, "    type: ConsistentHash\n    consistentHash:\n      type: Cookie\n"
		    "      cookie:\n        name: session-%lu\n        ttl: %lus\n",
		    i % 13, 60 + v % 3600);
		break;
	case 2:
		fputs("    type: ConsistentHash\n    consistentHash:\n      type: SourceIP\n", f);
		break;
	case 3:
		fprintf(f, "    type: RoundRobin\n    slowStart:\n      window: %lus\n",
		    10 + v % 50);
		break;
	case 4:
		fputs("    type: LeastRequest\n    slowStart:\n      window: 30s\n", f);
		break;
	case 5:
		fputs("    type: Random\n", f);
		break;
	default:
		fputs("    type: ConsistentHash\n    consistentHash:\n      type: QueryParams\n"
		    "      queryParams:\n      - name: tenant\n", f);
		break;
	}
}

static void
health_check(FILE *f, unsigned long i, unsigned long v)
{
	fprintf(f, "  healthCheck:\n    active:\n      timeout: %lums\n      interval: %lus\n"
	    "      unhealthyThreshold: %lu\n      healthyThreshold: %lu\n",
	    250 + v % 750, 2 + v % 8, 2 + v % 4, 1 + v % 3);
	switch (i / 2 % 3) {
	case 0:
		fputs("      type: HTTP\n      http:\n        path: /healthz\n"
		    "        expectedStatuses: [200, 204]\n", f);
		break;
	case 1:
		fputs("      type: TCP\n      tcp:\n        send: {type: Text, text: ping}\n"
		    "        receive: {type: Text, text: pong}\n", f);
		break;
	default:
		fprintf(f, "      type: GRPC\n      grpc:\n        service: health.v1.S%lu\n",
		    i % 31);
		break;
	}
	if (i % 4 == 0)
		fprintf(f, "    passive:\n      interval: %lus\n      consecutive5XxErrors: %lu\n"
		    "      baseEjectionTime: %lus\n      maxEjectionPercent: %lu\n",
		    5 + v % 25, 3 + v % 9, 15 + v % 45, 10 + v % 40);
}

static void
policy(FILE *f, unsigned long i)
{
	unsigned long v = (i * 2654435761ul) >> 7;

	fprintf(f, "---\napiVersion: gateway.envoyproxy.io/v1alpha1\n"
	    "kind: BackendTrafficPolicy\nmetadata:\n  name: policy-%lu\n"
	    "  namespace: team-%lu\n  labels:\n    app.kubernetes.io/name: svc-%lu\n"
	    "    app.kubernetes.io/part-of: shop\nspec:\n  targetRefs:\n"
	    "  - group: gateway.networking.k8s.io\n    kind: %s\n    name: route-%lu\n",
	    i, i % 97, i % 1013, kinds[i % 3], i);
	if (i % 5 == 0)
		fprintf(f, "  - group: gateway.networking.k8s.io\n    kind: %s\n"
		    "    name: route-%lu-b\n", kinds[i % 3], i);
	if (i % 4 != 3)
		load_balancer(f, i, v);
	if (i % 3 == 0)
		fprintf(f, "  circuitBreaker:\n    maxConnections: %lu\n"
		    "    maxPendingRequests: %lu\n    maxParallelRequests: %lu\n"
		    "    maxParallelRetries: %lu\n", 256 + v % 4096, 128 + v % 1024,
		    512 + v % 2048, 1 + v % 16);
	if (i % 2 == 0)
		health_check(f, i, v);
	if (i % 3 != 1)
		fprintf(f, "  retry:\n    numRetries: %lu\n    retryOn:\n      triggers:\n"
		    "      - %s\n      - retriable-status-codes\n      httpStatusCodes: [503, %lu]\n"
		    "    perRetry:\n      timeout: %lums\n      backOff:\n"
		    "        baseInterval: %lums\n        maxInterval: %lus\n",
		    1 + v % 5, triggers[i % 6], 500 + v % 5, 100 + v % 900, 25 + v % 100,
		    1 + v % 10);
	fprintf(f, "  timeout:\n    tcp:\n      connectTimeout: %lus\n    http:\n"
	    "      requestTimeout: %lus\n", 1 + v % 10, i % 4 ? 15 + v % 45 : 0);
	if (i % 6 == 1)
		fprintf(f, "      connectionIdleTimeout: %lus\n", 30 + v % 300);
	if (i % 4 == 1)
		fprintf(f, "  tcpKeepalive:\n    probes: %lu\n    idleTime: %lus\n",
		    3 + v % 6, 60 + v % 600);
	if (i % 5 == 2)
		fprintf(f, "  connection:\n    bufferLimit: %luKi\n", 32 + v % 992);
	if (i % 8 == 0)
		fprintf(f, "  http2:\n    initialStreamWindowSize: 64Ki\n"
		    "    maxConcurrentStreams: %lu\n", 100 + v % 900);
	if (i % 16 == 5)
		fprintf(f, "  proxyProtocol:\n    version: V%d\n", i % 32 == 5 ? 1 : 2);
	if (i % 10 == 7)
		fprintf(f, "  dns:\n    dnsRefreshRate: %lus\n    respectDnsTtl: %s\n",
		    5 + v % 55, i % 20 == 7 ? "true" : "false");
	if (i % 10 == 3)
		fputs("  useClientProtocol: true\n", f);
}

int
main(int argc, char **argv)
{
	unsigned long n, i;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: gen N FILE\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 10);
	if ((f = fopen(argv[2], "w")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	fprintf(f, "# %lu BackendTrafficPolicy documents generated by bench/gen.c\n", n);
	for (i = 0; i < n; i++)
		policy(f, i);
	if (fclose(f) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
