/*
 * run.h: the steps most commands share: read the inputs the user named,
 * parse them into documents, index the objects, and render diagnostics.
 */
#ifndef BTPCTL_RUN_H
#define BTPCTL_RUN_H

#include "cli.h"
#include "diag.h"
#include "load.h"
#include "objects.h"

struct run {
	struct load_opts lo;
	struct inputs	 in;
	struct docset	 ds;
	struct objset	 os;
	struct diags	 diags;
	int		 io_rc;		/* EXIT_INPUT when some input was unreadable */
	int		 parse_rc;	/* 1 when some document had a YAML error */
	/*
	 * Optional: inputs (files named or found in directories) for which
	 * skip returns true are dropped before parsing (lint's ignore list).
	 */
	bool		(*skip)(const char *name, void *ud);
	void		*skip_ud;
};

void	run_init(struct run *);
void	run_release(struct run *);
/*
 * Read and parse paths (at least one; "-" is stdin) and index the
 * objects.  Problems become diagnostics in r->diags.  Returns 0, or
 * EXIT_USAGE when no path was given (after printing a message).
 */
int	run_load(struct run *, const struct cli *, const char *cmd, int n,
	    char **paths);
/*
 * Only read the inputs paths name (no parsing), for commands that stream
 * documents through par_load().  Honours --offline.  Returns as run_load.
 */
int	run_inputs(struct run *, const struct cli *, const char *cmd, int n,
	    char **paths);
/* Render r->diags as text on stderr-or-stdout per format, or as JSON. */
void	run_print_diags(const struct cli *, struct diags *, FILE *text_out);

#endif
