/*
 * load.h: from paths to node trees.
 *
 * inputs_add() turns what the user named (files, directories walked
 * recursively in sorted order for *.yaml, *.yml and *.json, "-" for stdin,
 * http(s) URLs through fetch.h) into sources.  load_source() parses one
 * source into documents with libyaml, resolving scalars as kubectl does,
 * expanding aliases and merge keys within bounds, and records every
 * problem (syntax, duplicate keys, bad UTF-8, tabs, bombs, depth, size,
 * binary or empty input) as a located diagnostic.
 */
#ifndef BTPCTL_LOAD_H
#define BTPCTL_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "node.h"

struct arena;
struct diags;
struct source;

struct load_opts {
	size_t	 max_doc_bytes;		/* one document's size bound */
	size_t	 max_nodes;		/* nodes per document after alias expansion */
	int	 max_depth;		/* nesting bound */
	bool	 offline;		/* refuse URLs */
	bool	 empty_ok;		/* an empty source is not an error */
	/* Which files a directory contributes (by base name); NULL: load_yaml_name. */
	bool	(*dir_filter)(const char *name);
};
/* The defaults: 3 MiB (the API server's request limit), 100000 nodes, 100 levels. */
void	 load_opts_init(struct load_opts *);

/* *.yaml, *.yml and *.json: the files a directory contributes by default. */
bool	 load_yaml_name(const char *name);

struct doc {
	struct node		*root;	/* NULL for an empty document */
	const struct source	*src;
	int			 index;	/* 0-based position in its source */
	struct loc		 loc;	/* where the document starts */
};

/* Called once per document; a non-zero return stops the load with it. */
typedef int (*doc_fn)(struct doc *, void *ud);

/*
 * Parse src; nodes are allocated in arena.  Returns 0 when every document
 * parsed (even if empty), 1 when a diagnostic of severity error was
 * recorded, or the callback's non-zero value.
 */
int	 load_source(const struct source *src, struct arena *arena,
	    const struct load_opts *, struct diags *, doc_fn, void *ud);

/* Parse a NUL-terminated string (tests, embedded data); first document. */
struct node *load_string(struct arena *, const char *name, const char *text,
	    struct diags *);

struct inputs {
	struct source	**v;
	size_t		  n, cap;
};
void	 inputs_init(struct inputs *);
void	 inputs_release(struct inputs *);
/*
 * Add what path names.  Returns 0, or 3 after recording an error
 * diagnostic when it cannot be read (missing file, unreadable directory,
 * failed fetch).
 */
int	 inputs_add(struct inputs *, const char *path, const struct load_opts *,
	    struct diags *);
/* Wrap bytes already in memory (taken over). */
void	 inputs_add_bytes(struct inputs *, const char *name, char *data, size_t len);

/*
 * Collect every document of every input (an arena owned by the docset).
 */
struct docset {
	struct arena	*arena;
	struct doc	*v;
	size_t		 n, cap;
};
void	 docset_init(struct docset *);
void	 docset_release(struct docset *);
/* Returns 0, or 1 when some document had an error. */
int	 docset_load(struct docset *, const struct inputs *,
	    const struct load_opts *, struct diags *);

#endif
