/*
 * node.h: the one generic document model.  Every input (YAML, JSON, any
 * number of documents) becomes a tree of nodes: maps, sequences and
 * scalars.  Every node knows where it came from (source, line, column, byte
 * span).  Scalars are resolved as kubectl resolves them (go-yaml v2, YAML
 * 1.1: yes/no/on/off are booleans, 0x10 and 010 integers, 1.0 is an integer
 * 1 after the JSON round trip).  Nodes live in the arena of their load.
 */
#ifndef BTPCTL_NODE_H
#define BTPCTL_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct source;
struct strbuf;

struct loc {
	const struct source *src;	/* NULL for synthesized nodes */
	int		 line;		/* 1-based; 0 when unknown */
	int		 col;		/* 1-based, in bytes */
	size_t		 start, end;	/* byte span in src->data */
};

enum node_kind {
	NODE_NULL,	/* null, ~, empty value */
	NODE_BOOL,
	NODE_INT,
	NODE_FLOAT,
	NODE_STRING,
	NODE_MAP,
	NODE_SEQ,
};

struct node;

struct node_pair {
	struct node	*key;		/* always a scalar; key->str is its text */
	struct node	*val;
};

struct node {
	enum node_kind	 kind;
	struct loc	 loc;
	const char	*str;		/* scalars: the text as written (NUL-terminated) */
	size_t		 len;		/* its length (may contain NULs in JSON) */
	const char	*tag;		/* explicit YAML tag, or NULL */
	unsigned	 quoted:1;	/* scalar was quoted or block (a string) */
	unsigned	 flow:1;	/* map/seq written in flow style */
	bool		 b;		/* NODE_BOOL */
	int64_t		 i;		/* NODE_INT */
	double		 f;		/* NODE_FLOAT (and NODE_INT as a double) */
	size_t		 n;		/* NODE_MAP: pairs; NODE_SEQ: items */
	struct node_pair *pairs;	/* NODE_MAP, in document order */
	struct node	**items;	/* NODE_SEQ */
};

/* Map lookup by key text; NULL when n is not a map or has no such key. */
struct node	*node_get(const struct node *n, const char *key);
/* Walk a dotted path of map keys ("spec.retry.numRetries"). */
struct node	*node_path(const struct node *n, const char *dotted);
/* Scalar text of a map member, or NULL when absent or not a scalar. */
const char	*node_get_str(const struct node *n, const char *key);
bool		 node_is_scalar(const struct node *);
const char	*node_kind_name(enum node_kind);

/* Constructors for synthesized trees (merges, defaults, tests). */
struct node	*node_new(struct arena *, enum node_kind);
struct node	*node_new_string(struct arena *, const char *);
struct node	*node_new_int(struct arena *, int64_t);
struct node	*node_new_bool(struct arena *, bool);
/* Append to a map (key text copied) or a sequence; amortised O(1). */
void		 node_map_set(struct arena *, struct node *map, const char *key,
		    struct node *val);
void		 node_seq_push(struct arena *, struct node *seq, struct node *item);
/*
 * The room a map's pairs or a sequence's items array has for n entries
 * (the smallest power of two >= n, at least 4; 0 for 0): whoever builds a
 * node allocates by this rule, so node_map_set/node_seq_push append in
 * amortised O(1).
 */
size_t		 node_cap(size_t n);
/* Deep copy into arena (locations kept). */
struct node	*node_clone(struct arena *, const struct node *);
/* Deep equality by value (kind and content; key order ignored for maps). */
bool		 node_equal(const struct node *, const struct node *);

/*
 * Render n as compact JSON (keys in document order) into sb; the format
 * the API server uses for values in messages.
 */
void		 node_to_json(const struct node *, struct strbuf *);
/* Render n as block YAML at the given indent (spaces). */
void		 node_to_yaml(const struct node *, struct strbuf *, int indent);

#endif
