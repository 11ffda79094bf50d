/*
 * diff_int.h: the parts of the object diff shared between its files
 * (diff.c, diff_rules.c, diff_impact.c); not for other modules.
 */
#ifndef BTPCTL_DIFF_INT_H
#define BTPCTL_DIFF_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "diff.h"

enum list_mode {
	LIST_POSITION,	/* item i against item i */
	LIST_SET,	/* order and repeats do not matter */
	LIST_KEYED,	/* items matched by key members */
};

struct list_rule {
	const char	*path;		/* schema path, items as "[]" */
	enum list_mode	 mode;
	const char	*keys;		/* LIST_KEYED: "a=default,b,c" */
	bool		 ordered;	/* LIST_KEYED: a reorder is a change */
};

/* Hash of an object's identity: API group, kind, namespace, name. */
uint64_t		 diff_identity_hash(const struct object *);
/* The BTP CRD's openAPIV3Schema (loaded once). */
const struct node	*diff_btp_schema(void);
/* Schema of a map member / list item, or NULL when unknown. */
const struct node	*diff_schema_child(const struct node *schema, const char *key);
const struct node	*diff_schema_items(const struct node *schema);
/* Schema at a schema path from the BTP root ("spec.retry", "spec.targetRefs[]"). */
const struct node	*diff_schema_at(const char *spath);
/* How to compare the list at spath (schema may be NULL). */
struct list_rule	 diff_list_rule(const char *spath, const struct node *schema);
bool			 diff_nocase(const char *spath);
/* The value an unset field stands for, or NULL when none is known. */
const struct node	*diff_default(const struct node *schema, const char *spath);
bool			 diff_absent_is_default(const char *spath);
/* Fields that are never a change (status, server-owned metadata). */
bool			 diff_ignored(const char *spath);
bool			 diff_ignored_member(const char *parent, const char *key);

#endif
