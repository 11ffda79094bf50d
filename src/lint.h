/*
 * lint.h: btpctl lint, the engine.  lint_run() checks every
 * BackendTrafficPolicy of an object set with the structural (validate)
 * checks and every enabled rule of the catalogue (rules.h), applies the
 * suppressions (annotation btpctl.io/ignore and "# btpctl:ignore" comments)
 * and reports suppressions that matched nothing.  Library code: it records
 * diagnostics and never prints, except lint_explain() and
 * lint_print_catalogue(), which render to the stream they are given.
 *
 * The second half of this header is the interface rules are written
 * against: the per-policy context, typed accessors and lint_report().
 */
#ifndef BTPCTL_LINT_H
#define BTPCTL_LINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "node.h"
#include "objects.h"
#include "rules.h"
#include "util.h"

/* Per-rule level: off, or a severity. */
#define LINT_OFF	(-1)

struct schema;

struct lint_conf {
	signed char	*level;		/* rule_count() entries: LINT_OFF or enum severity */
	/*
	 * The compiled CRD validate uses, or NULL for the structural checks
	 * alone; translate adds Envoy Gateway's translator checks, as validate
	 * does by default (a translator finding at the place a rule reports
	 * is left to the rule, which says more).
	 */
	const struct schema *schema;
	bool		 translate;
};

/* Every rule at its default severity. */
void	lint_conf_init(struct lint_conf *);
void	lint_conf_release(struct lint_conf *);
/* Parse "off", "error", "warning" or "info"; false when it is none of them. */
bool	lint_level_parse(const char *, int *level);
const char *lint_level_name(int level);

struct lint_stats {
	size_t	policies;	/* BackendTrafficPolicy objects linted */
	size_t	suppressed;	/* findings a suppression removed */
};

/*
 * Lint every BackendTrafficPolicy in os and append the findings to out
 * (which may already hold load diagnostics).  Findings of a rule whose
 * level is LINT_OFF are never produced; others get the configured
 * severity.  Returns nothing; counts go to *st (may be NULL).
 */
void	lint_run(const struct lint_conf *, const struct objset *os,
	    struct diags *out, struct lint_stats *st);

/*
 * Print one rule's explanation (id, name, severity, summary, rationale,
 * fix, examples) to out.  Returns 0, or -1 when rule_id names no rule
 * (nothing is printed then).
 */
int	lint_explain(const char *rule_id, FILE *out, bool color);

/* The rule catalogue as text (one line per rule) or JSON. */
void	lint_print_catalogue(FILE *out, bool json, const struct lint_conf *);
/* The man page btpctl-rules(7), generated from the table. */
void	lint_print_man(FILE *out);

/* ---- the interface of rules ---- */

struct lint_index;

struct policy;

struct lint_ctx {
	const struct lint_rule	*rule;
	enum severity		 sev;	/* the configured severity */
	const struct object	*obj;	/* the BackendTrafficPolicy being linted */
	/*
	 * Its typed model (policy.h): durations in ns, quantities in bytes,
	 * set/valid and the node of every field, the description's
	 * spellings read by their meaning.  Rules read fields from here.
	 */
	const struct policy	*pol;
	const struct objset	*os;	/* everything loaded */
	struct lint_index	*ix;	/* cross-object facts */
	struct diags		*out;
	/* private to the engine */
	struct suppressions	*sup;
	struct lint_stats	*st;
};

/*
 * Record a finding of the current rule on the current object, located at
 * `at` (NULL: the object itself, for missing fields), with the API path
 * (`spec.retry.numRetries`; NULL when the finding is about the object).
 * The message says what is wrong and what to do.
 */
struct diag	*lint_report(struct lint_ctx *, const struct node *at, const char *path,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The node at a dotted path under spec ("retry.perRetry.timeout"), or NULL. */
struct node	*lint_spec(const struct lint_ctx *, const char *dotted);
/*
 * The key node of a member of map (its location is where the key is
 * written), or NULL.
 */
const struct node *lint_key(const struct node *map, const char *key);
/* Where a member lives: its key when present, else the map, else the object. */
const struct node *lint_where(const struct lint_ctx *, const char *dotted);
/* Is the member set to something other than null? */
bool		 lint_has(const struct lint_ctx *, const char *dotted);

/* A duration scalar (Gateway API or Go syntax) in nanoseconds. */
bool		 lint_duration(const struct node *, int64_t *ns);
/* An integer scalar. */
bool		 lint_int(const struct node *, int64_t *);
/* A quantity (integer or resource.Quantity string) in bytes. */
bool		 lint_quantity(const struct node *, int64_t *);
/* Format a duration the way the API spells it ("1m30s", "250ms", "0s"). */
const char	*lint_fmt_duration(int64_t ns, char buf[32]);

/* ---- targets (lint_xobj.c) ---- */

struct lint_target {
	const char		*kind;		/* as written */
	const char		*name;
	const char		*section;	/* NULL when none */
	const struct node	*at;		/* the reference (for locations) */
	const char		*path;		/* "spec.targetRefs[0]" */
	bool			 selector;	/* from targetSelectors (kind only) */
};

/*
 * The targets of the current policy: targetRef, else targetRefs, plus one
 * entry per targetSelectors item (name NULL).  Returns the count; *v is
 * owned by the index and stays valid until the index is freed.
 */
size_t	lint_targets(struct lint_ctx *, const struct lint_target **v);

/* Route kinds the translator treats as L4 (per-field, no HTTP features). */
bool	lint_kind_is_l4(const char *kind);
bool	lint_kind_is_route(const char *kind);

/* Cross-object facts, built once per run. */
struct lint_index *lint_index_new(const struct objset *);
void	lint_index_free(struct lint_index *);
/* The object of that kind (as written in a targetRef), namespace and name. */
const struct object *lint_index_find(const struct lint_index *, const char *kind,
	    const char *ns, const char *name);
/* Some object of that kind and name in a namespace other than ns, or NULL. */
const struct object *lint_index_find_elsewhere(const struct lint_index *,
	    const char *kind, const char *ns, const char *name);
/* Were any objects of that kind loaded at all? */
bool	lint_index_has_kind(const struct lint_index *, const char *kind);

/*
 * The other policies that target exactly the same scope as target t of
 * the current policy (same kind, namespace, name and section), in the
 * order Envoy Gateway sorts them (creationTimestamp, namespace, name, then
 * input order).  Returns the count; *v borrowed.
 */
struct lint_scope_entry {
	const struct object	*policy;
	const struct node	*at;
	const char		*timestamp;	/* NULL when not written */
};
size_t	lint_scope_policies(struct lint_ctx *, const struct lint_target *t,
	    const struct lint_scope_entry **v);
/* The policies that target Gateway ns/name (whole Gateway scope). */
size_t	lint_gateway_policies(struct lint_ctx *, const char *ns, const char *name,
	    const struct lint_scope_entry **v);

#endif
