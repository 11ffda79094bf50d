/*
 * seed.h: the spellings of the popular BTP description btpctl was created
 * from (shared/seed) that differ from upstream Envoy Gateway.  The API
 * server rejects them; btpctl reports each as an error that names the
 * upstream replacement (a fix-it), and effective and simulate read them by
 * their meaning (policy.h).
 *
 * Three kinds of spelling are known:
 *   - a field name upstream does not have (value == NULL): renamed or moved
 *     ("spec.circuitBreaker.maxRequests" → upstream
 *     "spec.circuitBreaker.maxParallelRequests"), or without any upstream
 *     counterpart (upstream == NULL: "spec.circuitBreaker.maxConnectionPools");
 *   - an enum value upstream does not have (value is the text: "Maglev"),
 *     with upstream the same path and upstream_value the replacement;
 *   - a field upstream requires and the description leaves out
 *     (value == ""): upstream is the path to add, and the value to give it
 *     follows from the content (seed_missing_value()).
 */
#ifndef BTPCTL_SEED_H
#define BTPCTL_SEED_H

#include <stdbool.h>
#include <stddef.h>

struct diags;
struct node;
struct object;

struct seed_fix {
	const char	*path;		/* API path, list items as "[]": "spec.retry.perRetryTimeout" */
	const char	*value;		/* for value spellings ("Maglev"), "" for a missing field, NULL for a field name */
	const char	*upstream;	/* the replacement path ("spec.retry.perRetry.timeout"); NULL when upstream has none */
	const char	*upstream_value; /* value spellings: the replacement value ("ConsistentHash"); else NULL */
	const char	*why;		/* one line: what the description says and what upstream does */
};

/*
 * The fix for a spelling at path (list indexes written as "[]"), with
 * value NULL for a field name, the scalar text for a value, "" for a
 * missing required field.  NULL when the spelling is not the description's.
 */
const struct seed_fix	*seed_lookup(const char *path, const char *value);

/* The whole table, ending with an entry whose path is NULL. */
const struct seed_fix	*seed_table(void);
/* Is path ("spec.retry") a table path, or a map on the way to one? */
bool			 seed_prefix(const char *path);

/*
 * For a missing-field fix (value ""), the value upstream needs given the
 * parent map (the map that lacks the field): healthCheck.active.type is
 * "HTTP", "TCP" or "GRPC" after the sub-object present,
 * expectedResponse.type "Text" or "Binary" after its content.  NULL when
 * the content does not tell.
 */
const char		*seed_missing_value(const struct seed_fix *, const struct node *parent);

/*
 * The fix-it text of a fix: "spec.circuitBreaker.maxParallelRequests",
 * "spec.loadBalancer.type: ConsistentHash", "spec.healthCheck.active.type:
 * HTTP" (missing value: missing_value, or just the path when NULL); NULL
 * when upstream has no replacement.  Heap-allocated; the caller frees it.
 */
char			*seed_fix_text(const struct seed_fix *, const char *missing_value);

/*
 * Report every seed spelling in obj (a BackendTrafficPolicy; other objects
 * are ignored) as an error diagnostic with code "seed", located at the
 * field (a missing field: at its parent's key), path set to the seed
 * path, object set, the message naming the upstream replacement (or
 * saying there is none) and the fix set to seed_fix_text().  A seed field
 * reported whole is not descended into (retry.backoff is one finding, not
 * three).  Returns the number of diagnostics recorded.
 */
int			 seed_check(const struct object *obj, struct diags *);

#endif
