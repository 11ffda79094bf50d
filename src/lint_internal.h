/*
 * lint_internal.h: what the lint engine's files share and nothing else
 * needs: suppressions (lint_suppress.c) and the compact copies of objects
 * the cross-object pass works on (lint_skel.c).
 *
 * Two ways to silence a finding of a rule:
 *   - the annotation btpctl.io/ignore: "BTP012,BTP020" on a policy, for
 *     every finding of those rules on that policy;
 *   - a comment "# btpctl:ignore BTP012[,BTP020] [-- reason]", for the
 *     findings on its own line (a comment after a value) or on the next
 *     line that is neither blank nor only a comment (a comment on a line of
 *     its own).
 */
#ifndef BTPCTL_LINT_INTERNAL_H
#define BTPCTL_LINT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "node.h"

struct diags;
struct lint_conf;
struct object;
struct objset;
struct source;

struct arena;

#define IGNORE_ANNOTATION	"btpctl.io/ignore"
#define IGNORE_COMMENT		"btpctl:ignore"

struct suppression {
	char			 id[16];	/* as written, upper-cased */
	const struct object	*obj;		/* annotation: the policy */
	const struct source	*src;		/* comment: its source */
	int			 line;		/* comment: the line it covers */
	struct loc		 loc;		/* where it is written */
	const struct object	*owner;		/* comment: the policy it sits in or above */
	bool			 used;
};

struct suppressions {
	struct suppression	*v;	/* comments sorted by (src, line), then annotations */
	size_t			 n, cap;
	size_t			 ncomments;
	struct suppression	**by_obj;	/* annotations, sorted by object */
	size_t			 nby_obj;
};

/* Collect the annotations of every policy and the comments of every source. */
void	suppressions_init(struct suppressions *, const struct objset *);
void	suppressions_release(struct suppressions *);
/* Is a finding of rule id on o at loc suppressed?  Marks the match used. */
bool	suppressions_match(struct suppressions *, const char *id,
	    const struct object *o, const struct loc *loc);
/* One finding of BTP900 per suppression that matched nothing. */
void	suppressions_report_unused(struct suppressions *, const struct lint_conf *,
	    struct diags *out);

/*
 * Compact copies of objects, with what the cross-object pass and
 * suppressions read and nothing else (lint_skel.c).  A struct skel makes
 * them in one arena and shares their location-free scalars; it is one
 * thread's.  The copies outlive it and live as long as the arena.
 */
struct skel;
struct skel	*skel_new(struct arena *);
void		 skel_free(struct skel *);
/* The compact copy of o, into *c (its doc pointer NULL). */
void		 lint_skeleton(struct skel *, const struct object *o, struct object *c);
/* A whole copy of o, locations and all, into *c (its doc pointer NULL). */
void		 lint_full_copy(struct skel *, const struct object *o, struct object *c);

#endif
