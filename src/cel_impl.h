/*
 * cel_impl.h: what the CEL compiler (cel.c) hands the evaluator
 * (cel_eval.c): values, the syntax tree and the program.  Not for use
 * outside src/cel*.c.
 *
 * A value is small and passed by copy.  Strings and containers point into
 * the document tree, into the program's arena (constants) or into the
 * evaluation's arena (computed values); nothing is freed one by one.
 */
#ifndef BTPCTL_CEL_IMPL_H
#define BTPCTL_CEL_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

struct arena;
struct node;

/* Nested comprehensions one expression may have. */
#define CEL_MAX_SLOTS	16

enum cel_kind {
	CV_ERROR,	/* err: the message */
	CV_NULL,
	CV_BOOL,
	CV_INT,
	CV_UINT,
	CV_DOUBLE,
	CV_STRING,	/* s: UTF-8 bytes */
	CV_BYTES,	/* s */
	CV_DURATION,	/* i: nanoseconds */
	CV_LIST,	/* c: a NODE_SEQ or a vector of values */
	CV_MAP,		/* c: a NODE_MAP or a vector of keys and values */
};

struct cel_vec;

struct cel_val {
	enum cel_kind	 k;
	union {
		bool	 b;
		int64_t	 i;
		uint64_t u;
		double	 d;
		const char *err;
		struct {
			const char *p;
			size_t	 n;
		} s;
		struct {
			const struct node *node;	/* or NULL */
			const struct cel_vec *vec;	/* when node is NULL */
		} c;
	};
};

/* A computed list (n values in v) or map (n keys in v, values in v + n). */
struct cel_vec {
	size_t		 n;
	struct cel_val	*v;
};

enum cel_op {
	OP_LIT,		/* lit */
	OP_SELF,
	OP_OLDSELF,
	OP_VAR,		/* slot */
	OP_SELECT,	/* a.name */
	OP_HAS,		/* has(a.name) */
	OP_INDEX,	/* a[b] */
	OP_NOT,
	OP_NEG,
	OP_AND,
	OP_OR,
	OP_COND,	/* a ? b : c */
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN,
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
	OP_LIST,	/* args */
	OP_MAP,		/* args: key, value, key, value... */
	OP_ALL,		/* a: range, slot: variable, b: predicate */
	OP_EXISTS,
	OP_EXISTS_ONE,
	OP_MAPM,	/* b: transform, c: filter or NULL */
	OP_FILTER,	/* b: predicate */
	OP_CALL,	/* fn; args (the receiver first for a method call) */
};

/* Built-in functions; cel.c resolves names and arities to these. */
enum cel_fn {
	FN_SIZE,
	FN_MATCHES,
	FN_STARTS_WITH,
	FN_ENDS_WITH,
	FN_CONTAINS,
	FN_UPPER_ASCII,
	FN_LOWER_ASCII,
	FN_TRIM,
	FN_SPLIT,
	FN_JOIN,
	FN_INDEX_OF,
	FN_LAST_INDEX_OF,
	FN_REPLACE,
	FN_SUBSTRING,
	FN_CHAR_AT,
	FN_INT,
	FN_UINT,
	FN_DOUBLE,
	FN_STRING,
	FN_BYTES,
	FN_BOOL,
	FN_DURATION,
	FN_DYN,
	FN_IS_SORTED,
	FN_SUM,
	FN_MIN,
	FN_MAX,
	FN_GET_HOURS,
	FN_GET_MINUTES,
	FN_GET_SECONDS,
	FN_GET_MILLISECONDS,
};

struct cel_ast {
	enum cel_op	 op;
	enum cel_fn	 fn;		/* OP_CALL */
	bool		 method;	/* OP_CALL: written as a.f(...) */
	int		 slot;		/* OP_VAR and comprehensions */
	size_t		 pos;		/* byte offset in the expression */
	int		 height;	/* of the subtree: bounds recursion */
	const char	*name;		/* OP_SELECT, OP_HAS: the field */
	size_t		 namelen;
	const char	*written;	/* the field as written (escaped) */
	size_t		 writtenlen;
	struct cel_ast	*a, *b, *c;
	struct cel_ast	**args;
	size_t		 nargs;
	struct cel_val	 lit;		/* OP_LIT */
	pcre2_code	*re;		/* FN_MATCHES with a literal pattern */
};

struct cel_program {
	struct arena	*arena;		/* the tree and its constants */
	struct cel_ast	*root;
	bool		 oldself;
	pcre2_code	**res;		/* every compiled pattern, to free */
	size_t		 nres;
};

/* cel_eval.c */
/*
 * Compile an RE2 pattern with pcre2.  NULL with a message in errbuf when
 * the pattern is invalid or uses what RE2 does not have (backreferences,
 * lookaround, atomic groups, possessive quantifiers).
 */
pcre2_code *cel_regex_compile(const char *pat, size_t n, char *errbuf,
	    size_t errlen);

#endif
