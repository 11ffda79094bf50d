/*
 * objects.h: the Kubernetes objects of a load, indexed by kind, namespace
 * and name.  Only the kinds btpctl uses are kept: BackendTrafficPolicy of
 * gateway.envoyproxy.io (the same kind name in other API groups, such as
 * Apache APISIX's or WSO2 APK's, is not ours), and the Gateway API objects
 * precedence needs.  "kind: List" documents are expanded.
 */
#ifndef BTPCTL_OBJECTS_H
#define BTPCTL_OBJECTS_H

#include <stdbool.h>
#include <stddef.h>

#include "load.h"
#include "node.h"

struct diags;

enum obj_type {
	OBJ_BTP,
	OBJ_GATEWAY,
	OBJ_LISTENERSET,
	OBJ_HTTPROUTE,
	OBJ_GRPCROUTE,
	OBJ_TCPROUTE,
	OBJ_TLSROUTE,
	OBJ_UDPROUTE,
	OBJ_REFERENCEGRANT,
	OBJ_NAMESPACE,
	OBJ_OTHER,
};

struct object {
	enum obj_type	 type;
	const char	*api_version;	/* as written */
	const char	*group;		/* "" for the core group */
	const char	*kind;
	const char	*ns;		/* "" when not set; see object_ns() */
	const char	*name;		/* "" when not set */
	struct node	*root;		/* the whole object */
	struct node	*metadata;	/* may be NULL */
	struct node	*spec;		/* may be NULL */
	const struct doc *doc;
	size_t		 order;		/* input order (files, documents, list items) */
};

struct objset_slot {
	size_t		 hash;
	size_t		 i;		/* v index + 1; 0: empty */
};

struct objset {
	struct object	*v;
	size_t		 n, cap;
	size_t		 skipped;	/* documents of kinds btpctl does not use */
	struct objset_slot *idx;	/* hash index for objset_find */
	size_t		 idxcap;	/* 0 or a power of two */
};

void		 objset_init(struct objset *);
void		 objset_release(struct objset *);
/*
 * Add the objects of one document (expanding kind: List).  Documents
 * that are not objects (no kind) and foreign kinds are counted in skipped;
 * when verbose diagnostics are wanted, info diagnostics say so.
 */
void		 objset_add_doc(struct objset *, const struct doc *, struct diags *,
		    bool verbose);
/*
 * Add a copy of o (indexed, in input order after the others), as kept by
 * its doc; its nodes and strings must live as long as the set.
 */
/* Room for n objects in all, so that adding them allocates nothing. */
void		 objset_reserve(struct objset *, size_t n);
void		 objset_push(struct objset *, const struct object *o, const struct doc *doc);
void		 objset_add_docs(struct objset *, const struct docset *, struct diags *,
		    bool verbose);
/* The first object of that type, namespace and name, or NULL (O(1)). */
struct object	*objset_find(const struct objset *, enum obj_type, const char *ns,
		    const char *name);
const char	*obj_type_kind(enum obj_type);
/* Namespace, "default" when the manifest leaves it out. */
const char	*object_ns(const struct object *);
/* metadata.creationTimestamp, or NULL. */
const char	*object_timestamp(const struct object *);

#endif
