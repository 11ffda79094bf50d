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
	bool	 offline;		/* URLs only from the cache (fetch.h) */
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
	struct arena		*arena;	/* where its nodes live */
};

/* Called once per document; a non-zero return stops the load with it. */
typedef int (*doc_fn)(struct doc *, void *ud);

/*
 * Parse src; nodes are allocated in arena.  A document with an error is
 * not passed to fn (a diagnostic says why), and a syntax error ends only
 * its own document: parsing resumes at the next "---" line.  Returns 0
 * when every document parsed (even if empty), 1 when a diagnostic of
 * severity error was recorded, or the callback's non-zero value.
 */
int	 load_source(const struct source *src, struct arena *arena,
	    const struct load_opts *, struct diags *, doc_fn, void *ud);

/*
 * Streaming: like load_source, but each document's nodes live in an arena
 * (doc->arena) that is emptied as soon as fn returns, so memory stays
 * bounded by the largest document, not by the input.  fn must not keep
 * pointers into the document.
 */
int	 load_source_each(const struct source *src, const struct load_opts *,
	    struct diags *, doc_fn, void *ud);

/*
 * A stream splits safely before every line that starts with "---" followed
 * by a blank or the end of the line: libyaml ends any scalar or block
 * there and starts a document, so each piece parses alone exactly as it
 * does inside the whole stream.  A chunk is such a piece.
 */
struct load_chunk {
	size_t	 off, len;	/* byte range in src->data */
	int	 line;		/* 1-based line of off */
	int	 doc;		/* index in the source of its first document */
};

/*
 * Split src into chunks (*out, heap, caller frees) and return how many.
 * A source with YAML directives ("%...") or that looks like JSON is one
 * chunk.  *nul gets the offset of the first NUL byte, or SIZE_MAX (a NUL
 * means a binary file: load_chunks refuses it).  Mapped sources give their
 * scanned pages back as the scan proceeds.
 */
size_t	 load_split(const struct source *, struct load_chunk **out, size_t *nul);
/*
 * The end (exclusive) of the batch of chunks that starts at chunk i: chunks
 * are parsed in batches of about 256 KiB so that parser set-up is paid
 * rarely.  Every caller batches the same way, so diagnostics never depend
 * on who parsed what.
 */
size_t	 load_batch(const struct load_chunk *, size_t n, size_t i);
/*
 * Parse chunks c[0..n) of src (consecutive) as load_source does; a syntax
 * error ends its chunk only, and parsing resumes with the next chunk.
 * arena NULL means one arena per document, released after fn.  *ndocs is
 * increased by the number of non-empty documents seen.  Returns as
 * load_source; *stopped (may be NULL) tells whether fn's non-zero return
 * ended it.  Safe to call from several threads on the same source.
 */
int	 load_chunks(const struct source *src, const struct load_chunk *c,
	    size_t n, struct arena *arena, const struct load_opts *,
	    struct diags *, doc_fn, void *ud, size_t *ndocs, bool *stopped);
/* The error for a source with a NUL byte at offset nul; returns 1. */
int	 load_binary(const struct source *, size_t nul, struct diags *);
/* The error for a source without any document; returns 1. */
int	 load_empty(const struct source *, struct diags *);

/*
 * Parse a NUL-terminated string (tests, embedded data); first document.
 * The source (a copy of text) lives in the arena too.
 */
struct node *load_string(struct arena *, const char *name, const char *text,
	    struct diags *);

/*
 * Scalar resolution as kubectl does it (go-yaml v2, then encoding/json):
 * sets n->kind and the value fields from n->str.  tag is the full YAML
 * tag or NULL, plain is false for quoted and block scalars.  Returns false
 * when an explicit tag contradicts the text (`!!int abc`).
 */
bool	 load_resolve_scalar(struct node *n, const char *tag, bool plain);
/* Key text as the JSON conversion spells it: yes -> "true", 0x10 -> "16". */
const char *load_key_text(struct arena *, const struct node *key);

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
