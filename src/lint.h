/*
 * lint.h: btpctl lint, the engine.  lint_run() reads the inputs and checks
 * every BackendTrafficPolicy with the structural (validate) checks and
 * every enabled rule of the catalogue (rules.h), applies the suppressions
 * (annotation btpctl.io/ignore and "# btpctl:ignore" comments) and
 * reports suppressions that matched nothing.  Library code: it records
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
#include "effective.h"
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
	/*
	 * Threads for the per-document checks: 0 one per core, 1 everything
	 * on the calling thread.  The findings are the same in any case.
	 */
	int		 jobs;
	bool		 verbose;	/* info diagnostics for skipped documents */
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
 * What a run keeps of the objects it read: a compact copy of each (the
 * fields the cross-object rules read, with their locations), in input
 * order, for reports that list the policies.
 */
struct lint_objects {
	struct objset	  os;
	struct arena	**arenas;	/* private */
	size_t		  narenas;
};
void	lint_objects_release(struct lint_objects *);

/*
 * Read every document of in (streamed through conf->jobs threads, see
 * par.h) and lint every BackendTrafficPolicy; the loader's diagnostics
 * and the findings are appended to out.  Findings of a rule whose level
 * is LINT_OFF are never produced; others get the configured severity.
 * Counts go to *st (may be NULL); *objs gets the objects (release it).
 * Returns as par_run: 0, or 1 when some document could not be loaded.
 */
int	lint_run(const struct lint_conf *, const struct inputs *in,
	    const struct load_opts *, struct diags *out, struct lint_stats *st,
	    struct lint_objects *objs);

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

struct lint_xobj;
struct lint_tcache;
struct policy;
struct arena;

struct lint_ctx {
	const struct lint_rule	*rule;
	enum severity		 sev;	/* the configured severity */
	/*
	 * The BackendTrafficPolicy being linted; for second-pass rules
	 * (cross-object and layered) its compact copy (lint_skel.c).
	 */
	const struct object	*obj;
	/*
	 * Its typed model (policy.h): durations in ns, quantities in bytes,
	 * set/valid and the node of every field, the description's
	 * spellings read by their meaning.  Rules read fields from here.
	 * NULL for second-pass rules.
	 */
	const struct policy	*pol;
	/* Second-pass rules only: the compact copies of everything loaded, and
	 * the precedence engine's facts. */
	const struct objset	*os;
	struct lint_xobj	*x;
	struct diags		*out;
	/* private to the engine */
	struct arena		*arena;	/* per policy */
	struct lint_tcache	*tc;	/* per policy: lint_targets() */
};

/*
 * Record a finding of the current rule on the current object, located at
 * `at` (NULL: the object itself, for missing fields), with the API path
 * (`spec.retry.numRetries`; NULL when the finding is about the object).
 * The message says what is wrong and what to do.  Returns the finding,
 * never NULL (suppressions are applied after all rules ran).
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

/* ---- targets and cross-object facts (lint_xobj.c) ---- */

struct lint_target {
	const char		*kind;		/* as written */
	const char		*name;
	const char		*section;	/* NULL when none */
	const struct node	*at;		/* the reference (for locations) */
	const char		*path;		/* "spec.targetRefs[0]" */
	bool			 selector;	/* from targetSelectors (kind only) */
};

/*
 * The targets of the current policy as written: targetRef, else
 * targetRefs, plus one entry per targetSelectors item (name NULL).
 * Returns the count; *v stays valid while the policy is being linted.
 */
size_t	lint_targets(struct lint_ctx *, const struct lint_target **v);

/* Route kinds the translator treats as L4 (per-field, no HTTP features). */
bool	lint_kind_is_l4(const char *kind);

/*
 * What the precedence engine (effective.h) found, computed once per run
 * from every object of the run, so that lint and `btpctl effective
 * --status` always agree.
 */
struct lint_xobj *lint_xobj_new(const struct objset *);
void	lint_xobj_free(struct lint_xobj *);

/*
 * The engine's facts about the current policy, in the engine's order.
 * Returns the count; *v borrowed until the end of the run.
 */
size_t	lint_facts(struct lint_ctx *, const struct eff_fact *const **v);
/* The engine's entry for the current policy (resolved targets), or NULL. */
const struct eff_policy *lint_eff_policy(struct lint_ctx *);
/* Were any objects of that kind (as written in a targetRef) loaded at all? */
bool	lint_kind_loaded(struct lint_ctx *, const char *kind);
/*
 * The API path of a reference node of the current policy:
 * "spec.targetRef", "spec.targetRefs[1]", "spec.targetSelectors[0]", or
 * "spec" when it is none of them.  Valid while the policy is linted.
 */
const char *lint_ref_path(struct lint_ctx *, const struct node *ref);
/*
 * The namespace a target reference writes when it differs from the
 * policy's namespace ns (references have no namespace field, so it is
 * ignored), or NULL.
 */
const char *lint_ref_namespace(const struct node *ref, const char *ns);
/*
 * Is the current policy a mergeType policy layered over parent policies
 * wherever it applies, each of which sets one of fields (dotted paths
 * under spec, NULL-terminated)?  Then it inherits them.  Layered rules
 * only.
 */
bool	lint_inherits(struct lint_ctx *, const char *const *fields);
/*
 * Was the winner of a CONFLICT fact decided without timestamps (input
 * order, or one of the two manifests has none)?
 */
bool	lint_conflict_by_order(const struct eff_fact *);

#endif
