/*
 * diff.h: what a change to policies really changes.
 *
 * diff_objsets() matches the objects of two loads by identity (API group,
 * kind, namespace, name) through a hash table, and compares each pair
 * field by field: maps in the BTP CRD's property order (document order of
 * the new side where the schema is silent), lists as sets, keyed lists or
 * by position depending on the field, scalars by value (durations and
 * quantities by what they mean, so "30s" equals "30000ms" and 32Ki equals
 * 32768).  Formatting, key order and comments never show; neither do
 * status, the metadata the API server owns, nor members set to null
 * (dropped by the API server).  Added and removed objects list their spec
 * members.  Each change of a BackendTrafficPolicy may carry impact notes
 * computed from Envoy's semantics (retry amplification and triggers,
 * targets, breaker limits, health checking, consistent-hash keys, timeouts,
 * load balancer type).
 *
 * Paths: map members joined by "." (["key"] when the key has dots or
 * other punctuation, as label keys do), list items as [i], keyed list
 * items as [kind=HTTPRoute,name=api] (members at their default left out),
 * a reorder that matters as "PATH (order)" with the key lists as values,
 * and in the effective diff "translation" for a policy Envoy Gateway
 * refuses (old and new are "accepted" or the translator's message).
 *
 * The BTP schema is the embedded v1.9.0 CRD, parsed once on first use
 * (a cache shared by threads, built under pthread_once).
 *
 * Everything a result holds lives in its arena (paths, notes, synthesized
 * values) or in the loads it was computed from (objects, value nodes): the
 * two object sets must outlive the result.
 */
#ifndef BTPCTL_DIFF_H
#define BTPCTL_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "node.h"
#include "objects.h"

struct arena;
struct diags;
struct inputs;
struct load_opts;

struct diff_opts {
	bool	 ignore_defaults;	/* unset and its default are equal */
};

enum diff_op {
	DIFF_ADDED,		/* field or object only on the new side */
	DIFF_REMOVED,		/* only on the old side */
	DIFF_CHANGED,		/* on both sides, different values (or order) */
};

struct diff_change {
	enum diff_op	 op;
	const char	*path;		/* "spec.retry.numRetries", "spec.targetRefs[kind=HTTPRoute,name=api]" */
	const struct node *old_val;	/* NULL when added */
	const struct node *new_val;	/* NULL when removed */
	const char	*impact;	/* notes, one per line (joined by "\n"), or NULL */
	/* effective diff: the policy each side's value came from, or NULL */
	const char	*old_from;	/* "ns/name", "HTTPRoute ns/name", "default" */
	const char	*new_from;
};

struct diff_object {
	enum diff_op	 status;
	const struct object *old_obj;	/* NULL when added */
	const struct object *new_obj;	/* NULL when removed */
	struct diff_change *changes;	/* arena; field order (see above) */
	size_t		 nchanges;
};

struct diff_result {
	struct arena	*arena;
	struct diff_object *v;		/* sorted: kind, namespace, name */
	size_t		 n;
	size_t		 unchanged;	/* objects on both sides without a change */
};

/*
 * Compare the object sets.  Duplicate identities within one side are
 * reported as warnings in diags (the later object is compared).
 */
void	diff_objsets(const struct objset *old_set, const struct objset *new_set,
	    const struct diff_opts *, struct diff_result *, struct diags *);
void	diff_result_release(struct diff_result *);

/*
 * The objects of one side that differ from the other side, for
 * diff_objsets(), loaded by diff_load_sides() without holding the rest.
 */
struct diff_side {
	struct arena	*arena;		/* their documents' nodes */
	struct objset	 os;		/* objects changed, added or removed */
	size_t		 nobjects;	/* objects of the side in all */
};

/*
 * Parse both sides' inputs (jobs threads, 0: one per core) keeping per
 * object only its identity and a digest of its content; objects whose
 * digests agree on both sides are counted in *unchanged, the others are
 * parsed again into so/sn.  Loader diagnostics and duplicate-identity
 * warnings go to diags.  Returns 0, or 1 when some document could not be
 * loaded (then so/sn are empty).  Release the sides with
 * diff_side_release().
 */
int	diff_load_sides(const struct inputs *old_in, const struct inputs *new_in,
	    const struct load_opts *, int jobs, bool verbose, struct diff_side *so,
	    struct diff_side *sn, size_t *unchanged, struct diags *);
void	diff_side_release(struct diff_side *);

/*
 * The effective diff: the effective policy of every gateway listener x
 * route x rule (effective.h) on both sides, matched by that identity;
 * only routes whose effective spec changed are listed, in the new side's
 * order (by gateway, listener, route, rule), then routes gone.  Changes
 * carry old_from/new_from.  The object sets must outlive the result.
 */
struct effective;
struct eff_route;

struct diff_route {
	enum diff_op	 status;	/* ADDED: the route is new; REMOVED: gone */
	const struct eff_route *old_route;
	const struct eff_route *new_route;
	struct diff_change *changes;
	size_t		 nchanges;
};

struct diff_routes {
	struct arena	*arena;
	struct effective *old_eff, *new_eff;
	struct diff_route *v;
	size_t		 n;
	size_t		 unchanged;	/* routes on both sides with the same policy */
};

void	diff_effective(const struct objset *old_set, const struct objset *new_set,
	    const struct diff_opts *, struct diff_routes *);
void	diff_routes_release(struct diff_routes *);

/*
 * Compare two values at an API path (tests and the effective diff):
 * schema_path names the field in the BTP schema, such as spec.retry (list
 * items as "[]"), or is NULL for a schema-less comparison.  Appends to the
 * heap array *changes of *n entries (caller frees; strings in the arena).
 */
void	diff_values(struct arena *, const char *path, const char *schema_path,
	    const struct node *old_val, const struct node *new_val,
	    const struct diff_opts *, struct diff_change **changes, size_t *n);

/*
 * Scalar equality by meaning for a field of the given schema (may be NULL):
 * durations and quantities by value, numbers numerically, case-insensitive
 * fields without case.
 */
bool	diff_scalar_equal(const struct node *schema, const char *schema_path,
	    const struct node *a, const struct node *b);

/* Attach impact notes to the changes of one BTP (old or new spec may be NULL). */
void	diff_impacts(struct arena *, const struct node *old_spec,
	    const struct node *new_spec, struct diff_change *changes, size_t n);

/* Duration in nanoseconds as Go prints it, shortened ("1m30s", "250ms"). */
void	diff_fmt_duration(int64_t ns, char *buf, size_t len);

#endif
