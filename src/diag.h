/*
 * diag.h: diagnostics.  Library code records problems here and never
 * prints; commands render them as text (gcc style, with the source line
 * and a caret), JSON (DESIGN.md "Output contracts"), or the lint formats.
 *
 * A diagnostic owns its strings (heap).  Its loc.src must outlive the
 * rendering (the loader keeps sources until the command ends).
 */
#ifndef BTPCTL_DIAG_H
#define BTPCTL_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "node.h"

enum severity {
	SEV_ERROR,
	SEV_WARNING,
	SEV_INFO,
};

struct diag_object {
	char	*kind, *ns, *name;	/* any may be NULL */
};

struct diag {
	enum severity	 sev;
	char		*code;		/* "yaml", "schema", "cel", "BTP012"... */
	char		*file;		/* file name (copied from loc.src) */
	struct loc	 loc;
	char		*message;
	char		*path;		/* API path (spec.retry.numRetries), or NULL */
	struct diag_object obj;
	char		*fix;		/* replacement text for fix-its, or NULL */
	char		*note;		/* secondary message, or NULL */
	struct loc	 note_loc;
	unsigned	 seq;		/* insertion order, for stable sorting */
};

struct diags {
	struct diag	*v;
	size_t		 n, cap;
	size_t		 count[3];	/* per severity */
};

void		 diags_init(struct diags *);
void		 diags_release(struct diags *);
/* Record a diagnostic; returns it so callers can set path, obj, fix, note. */
struct diag	*diag_add(struct diags *, enum severity, const char *code,
		    const struct loc *, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
/* Same, with a file name but no location (I/O errors). */
struct diag	*diag_add_file(struct diags *, enum severity, const char *code,
		    const char *file, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
void		 diag_set_path(struct diag *, const char *);
void		 diag_set_fix(struct diag *, const char *);
void		 diag_set_object(struct diag *, const char *kind, const char *ns,
		    const char *name);
void		 diag_set_note(struct diag *, const struct loc *, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/* Move all of src's diagnostics to the end of dst. */
void		 diags_append(struct diags *dst, struct diags *src);
/*
 * Append g to dst, which takes over what g owns; g is left empty (its
 * strings NULL), so releasing the list it came from is still right.
 */
void		 diag_move(struct diags *dst, struct diag *g);
/* Stable sort by file, line, column, then insertion order. */
void		 diags_sort(struct diags *);
const char	*severity_name(enum severity);

struct render_opts {
	bool	 color;
	bool	 caret;		/* show source line and caret */
};
/* file:line:col: severity: message [code], source line, caret. */
void		 diags_print_text(const struct diags *, FILE *, const struct render_opts *);
/* {"version": 1, "diagnostics": [...]} */
void		 diags_print_json(const struct diags *, FILE *);

#endif
