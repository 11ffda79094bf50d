/*
 * cel_eval.c: the CEL evaluator.  Walks the tree cel.c built, with self
 * bound to a document node, following cel-go's runtime semantics and its
 * error wording: errors are values that && and || absorb, heterogeneous
 * numeric equality and ordering, checked integer arithmetic, the macros as
 * cel-go expands them, the Kubernetes string and list libraries, Go
 * time.ParseDuration for duration() (units.h).
 *
 * Thread safety: the program is only read.  Each evaluation has its own
 * comprehension variables on the stack and an arena created on the first
 * allocation (most rules never allocate) and freed when it returns.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cel.h"
#include "cel_impl.h"
#include "node.h"
#include "units.h"
#include "util.h"

struct ev {
	const struct cel_program *prog;
	const struct node	*self;
	struct arena		*arena;		/* created on first use */
	struct cel_val		 slots[CEL_MAX_SLOTS];
};

static const char NO_OVERLOAD[] = "no such overload";

static struct cel_val eval(struct ev *, const struct cel_ast *);

/* ---- values ---- */

static struct arena *
ev_arena(struct ev *ev)
{
	if (ev->arena == NULL)
		ev->arena = arena_new();
	return ev->arena;
}

static struct cel_val
verr(struct ev *ev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static struct cel_val
verr(struct ev *ev, const char *fmt, ...)
{
	struct cel_val v;
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	v.k = CV_ERROR;
	v.err = arena_strndup(ev_arena(ev), sb.buf, sb.len);
	sb_release(&sb);
	return v;
}

static struct cel_val
vconst_err(const char *msg)
{
	return (struct cel_val){ .k = CV_ERROR, .err = msg };
}

static struct cel_val
no_overload(void)
{
	return vconst_err(NO_OVERLOAD);
}

static struct cel_val
vbool(bool b)
{
	return (struct cel_val){ .k = CV_BOOL, .b = b };
}

static struct cel_val
vint(int64_t i)
{
	return (struct cel_val){ .k = CV_INT, .i = i };
}

static struct cel_val
vuint(uint64_t u)
{
	return (struct cel_val){ .k = CV_UINT, .u = u };
}

static struct cel_val
vdouble(double d)
{
	return (struct cel_val){ .k = CV_DOUBLE, .d = d };
}

static struct cel_val
vdur(int64_t ns)
{
	return (struct cel_val){ .k = CV_DURATION, .i = ns };
}

static struct cel_val
vstr(enum cel_kind k, const char *p, size_t n)
{
	return (struct cel_val){ .k = k, .s = { p, n } };
}

/* A string built in sb, copied into the evaluation's arena; sb released. */
static struct cel_val
vstr_sb(struct ev *ev, struct strbuf *sb)
{
	struct cel_val v = vstr(CV_STRING,
	    arena_strndup(ev_arena(ev), sb->buf, sb->len), sb->len);

	sb_release(sb);
	return v;
}

static struct cel_val
vlist(struct ev *ev, size_t n, struct cel_vec **out)
{
	struct cel_val v;
	struct cel_vec *vec = arena_alloc(ev_arena(ev), sizeof(*vec));

	vec->n = n;
	vec->v = arena_alloc(ev->arena, (n ? n : 1) * sizeof(*vec->v));
	v.k = CV_LIST;
	v.c.node = NULL;
	v.c.vec = vec;
	*out = vec;
	return v;
}

static struct cel_val
node_val(const struct node *n)
{
	struct cel_val v;

	if (n == NULL) {
		v.k = CV_NULL;
		return v;
	}
	switch (n->kind) {
	case NODE_BOOL:
		return vbool(n->b);
	case NODE_INT:
		return vint(n->i);
	case NODE_FLOAT:
		return vdouble(n->f);
	case NODE_STRING:
		return vstr(CV_STRING, n->str, n->len);
	case NODE_MAP:
	case NODE_SEQ:
		v.k = n->kind == NODE_MAP ? CV_MAP : CV_LIST;
		v.c.node = n;
		v.c.vec = NULL;
		return v;
	case NODE_NULL:
	default:
		v.k = CV_NULL;
		return v;
	}
}

static const char *
type_name(enum cel_kind k)
{
	switch (k) {
	case CV_NULL: return "null_type";
	case CV_BOOL: return "bool";
	case CV_INT: return "int";
	case CV_UINT: return "uint";
	case CV_DOUBLE: return "double";
	case CV_STRING: return "string";
	case CV_BYTES: return "bytes";
	case CV_DURATION: return "google.protobuf.Duration";
	case CV_LIST: return "list";
	case CV_MAP: return "map";
	case CV_ERROR: default: return "error";
	}
}

static size_t
list_len(const struct cel_val *l)
{
	return l->c.node != NULL ? l->c.node->n : l->c.vec->n;
}

static struct cel_val
list_at(const struct cel_val *l, size_t i)
{
	return l->c.node != NULL ? node_val(l->c.node->items[i]) : l->c.vec->v[i];
}

static size_t
map_len(const struct cel_val *m)
{
	return m->c.node != NULL ? m->c.node->n : m->c.vec->n;
}

static struct cel_val
map_key_at(const struct cel_val *m, size_t i)
{
	if (m->c.node != NULL) {
		const struct node *k = m->c.node->pairs[i].key;

		return vstr(CV_STRING, k->str, k->len);
	}
	return m->c.vec->v[i];
}

static bool	 val_equal(const struct cel_val *, const struct cel_val *);

/*
 * Find key in map m: 1 found (*out set), 0 absent, -1 when the key's type
 * cannot be a key of this map.
 */
static int
map_find(const struct cel_val *m, const struct cel_val *key,
    struct cel_val *out)
{
	size_t i, n;

	if (m->c.node != NULL) {
		const struct node *mn = m->c.node;

		if (key->k != CV_STRING)
			return -1;
		for (i = 0; i < mn->n; i++) {
			const struct node *k = mn->pairs[i].key;

			if (k->len == key->s.n &&
			    memcmp(k->str, key->s.p, key->s.n) == 0) {
				*out = node_val(mn->pairs[i].val);
				return 1;
			}
		}
		return 0;
	}
	if (key->k != CV_STRING && key->k != CV_INT && key->k != CV_UINT &&
	    key->k != CV_DOUBLE && key->k != CV_BOOL)
		return -1;
	n = m->c.vec->n;
	for (i = 0; i < n; i++)
		if (val_equal(&m->c.vec->v[i], key)) {
			*out = m->c.vec->v[n + i];
			return 1;
		}
	return 0;
}

/* A key as cel-go prints it in "no such key: %v". */
static void
key_text(struct strbuf *sb, const struct cel_val *k)
{
	switch (k->k) {
	case CV_STRING:
		sb_add(sb, k->s.p, k->s.n);
		break;
	case CV_INT:
		sb_printf(sb, "%" PRId64, k->i);
		break;
	case CV_UINT:
		sb_printf(sb, "%" PRIu64, k->u);
		break;
	case CV_BOOL:
		sb_adds(sb, k->b ? "true" : "false");
		break;
	case CV_DOUBLE:
		sb_printf(sb, "%g", k->d);
		break;
	default:
		sb_adds(sb, type_name(k->k));
		break;
	}
}

static struct cel_val
no_such_key(struct ev *ev, const struct cel_val *k)
{
	struct strbuf sb;
	struct cel_val v;

	sb_init(&sb);
	key_text(&sb, k);
	v = verr(ev, "no such key: %s", sb.buf);
	sb_release(&sb);
	return v;
}

/* ---- comparison ---- */

static bool
is_num(enum cel_kind k)
{
	return k == CV_INT || k == CV_UINT || k == CV_DOUBLE;
}

/* Compare i with d exactly: -1, 0, 1, or 2 when d is NaN. */
static int
cmp_int_double(int64_t i, double d)
{
	int64_t t;
	double frac;

	if (isnan(d))
		return 2;
	if (d >= 9223372036854775808.0)
		return -1;
	if (d < -9223372036854775808.0)
		return 1;
	t = (int64_t)d;
	if (i != t)
		return i < t ? -1 : 1;
	frac = d - (double)t;
	return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

static int
cmp_uint_double(uint64_t u, double d)
{
	uint64_t t;
	double frac;

	if (isnan(d))
		return 2;
	if (d < 0)
		return 1;
	if (d >= 18446744073709551616.0)
		return -1;
	t = (uint64_t)d;
	if (u != t)
		return u < t ? -1 : 1;
	frac = d - (double)t;
	return frac > 0 ? -1 : 0;
}

static int
flip(int c)
{
	return c == 2 ? 2 : -c;
}

static int
cmp_num(const struct cel_val *a, const struct cel_val *b)
{
	switch (a->k) {
	case CV_INT:
		if (b->k == CV_INT)
			return a->i < b->i ? -1 : a->i > b->i;
		if (b->k == CV_UINT)
			return a->i < 0 ? -1 : (uint64_t)a->i < b->u ? -1 :
			    (uint64_t)a->i > b->u;
		return cmp_int_double(a->i, b->d);
	case CV_UINT:
		if (b->k == CV_UINT)
			return a->u < b->u ? -1 : a->u > b->u;
		if (b->k == CV_INT)
			return flip(cmp_num(b, a));
		return cmp_uint_double(a->u, b->d);
	default:
		if (b->k == CV_DOUBLE) {
			if (isnan(a->d) || isnan(b->d))
				return 2;
			return a->d < b->d ? -1 : a->d > b->d;
		}
		return flip(cmp_num(b, a));
	}
}

static int
cmp_bytes(const struct cel_val *a, const struct cel_val *b)
{
	size_t n = a->s.n < b->s.n ? a->s.n : b->s.n;
	int c = n ? memcmp(a->s.p, b->s.p, n) : 0;

	if (c != 0)
		return c < 0 ? -1 : 1;
	return a->s.n < b->s.n ? -1 : a->s.n > b->s.n;
}

/*
 * Order a and b: -1, 0, 1, 2 (unordered: NaN), or -2 when the types have
 * no ordering (no such overload).
 */
static int
compare(const struct cel_val *a, const struct cel_val *b)
{
	if (is_num(a->k) && is_num(b->k))
		return cmp_num(a, b);
	if (a->k != b->k)
		return -2;
	switch (a->k) {
	case CV_STRING:
	case CV_BYTES:
		return cmp_bytes(a, b);
	case CV_BOOL:
		return a->b == b->b ? 0 : a->b ? 1 : -1;
	case CV_DURATION:
		return a->i < b->i ? -1 : a->i > b->i;
	default:
		return -2;
	}
}

/* CEL equality of two non-error values (heterogeneous: false across types). */
static bool
val_equal(const struct cel_val *a, const struct cel_val *b)
{
	size_t i, n;

	if (is_num(a->k) && is_num(b->k))
		return cmp_num(a, b) == 0;
	if (a->k != b->k)
		return false;
	switch (a->k) {
	case CV_NULL:
		return true;
	case CV_BOOL:
		return a->b == b->b;
	case CV_STRING:
	case CV_BYTES:
		return a->s.n == b->s.n && memcmp(a->s.p, b->s.p, a->s.n) == 0;
	case CV_DURATION:
		return a->i == b->i;
	case CV_LIST:
		n = list_len(a);
		if (n != list_len(b))
			return false;
		for (i = 0; i < n; i++) {
			struct cel_val x = list_at(a, i), y = list_at(b, i);

			if (!val_equal(&x, &y))
				return false;
		}
		return true;
	case CV_MAP:
		n = map_len(a);
		if (n != map_len(b))
			return false;
		for (i = 0; i < n; i++) {
			struct cel_val k = map_key_at(a, i), x, y;

			if (map_find(a, &k, &x) != 1 || map_find(b, &k, &y) != 1 ||
			    !val_equal(&x, &y))
				return false;
		}
		return true;
	default:
		return false;
	}
}

/* ---- UTF-8 ---- */

/* Decode the code point at s (n bytes left); *len gets its length. */
static uint32_t
utf8_decode(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	size_t k, i;

	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if ((u[0] & 0xe0) == 0xc0) {
		k = 2;
		c = u[0] & 0x1f;
	} else if ((u[0] & 0xf0) == 0xe0) {
		k = 3;
		c = u[0] & 0x0f;
	} else if ((u[0] & 0xf8) == 0xf0) {
		k = 4;
		c = u[0] & 0x07;
	} else {
		*len = 1;
		return 0xfffd;
	}
	if (k > n) {
		*len = 1;
		return 0xfffd;
	}
	for (i = 1; i < k; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*len = 1;
			return 0xfffd;
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	*len = k;
	return c;
}

static size_t
utf8_count(const char *s, size_t n)
{
	size_t i = 0, cnt = 0, l;

	while (i < n) {
		(void)utf8_decode(s + i, n - i, &l);
		i += l;
		cnt++;
	}
	return cnt;
}

/* Byte offset of code point idx (idx <= count). */
static size_t
utf8_offset(const char *s, size_t n, size_t idx)
{
	size_t i = 0, l;

	while (idx > 0 && i < n) {
		(void)utf8_decode(s + i, n - i, &l);
		i += l;
		idx--;
	}
	return i;
}

/* Unicode White_Space, as Go's unicode.IsSpace. */
static bool
is_space(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xa0 ||
	    c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
	    c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/* ---- durations ---- */

/* Go time.ParseDuration of n bytes (not NUL-terminated). */
static bool
parse_duration(const char *s, size_t n, int64_t *ns)
{
	char buf[64], *heap = NULL, *str = buf;
	bool ok;

	if (memchr(s, '\0', n) != NULL)
		return false;
	if (n >= sizeof(buf))
		str = heap = xmalloc(n + 1);
	memcpy(str, s, n);
	str[n] = '\0';
	ok = units_go_duration(str, ns);
	free(heap);
	return ok;
}

/* ---- regular expressions ---- */

/*
 * Refuse what RE2 does not have and pcre2 would accept: backreferences,
 * lookaround, atomic and conditional groups, recursion, possessive
 * quantifiers.  Everything else RE2 accepts means the same to pcre2 with
 * the options used below.
 */
static const char *
re2_unsupported(const char *p, size_t n)
{
	size_t i;
	bool inclass = false;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (c == '\\') {
			if (i + 1 >= n)
				return NULL;
			c = p[++i];
			/* \1 alone is a backreference, \12 an octal escape */
			if (!inclass && ((c >= '1' && c <= '9' && (c >= '8' ||
			    i + 1 >= n || p[i + 1] < '0' || p[i + 1] > '7')) ||
			    c == 'g' || c == 'k'))
				return "backreferences are not supported";
			if (c != '\0' && strchr("KRXGZhHVNCe", c) != NULL)
				return "this escape is not RE2 syntax";
			continue;
		}
		if (inclass) {
			if (c == ']')
				inclass = false;
			continue;
		}
		if (c == '[') {
			inclass = true;
			if (i + 1 < n && p[i + 1] == '^')
				i++;
			if (i + 1 < n && p[i + 1] == ']')
				i++;
			continue;
		}
		if (c == '(' && i + 1 < n && p[i + 1] == '?' && i + 2 < n) {
			char d = p[i + 2];

			if (d == '=' || d == '!' || (d == '<' && i + 3 < n &&
			    (p[i + 3] == '=' || p[i + 3] == '!')))
				return "lookaround is not supported";
			if (d == '>' || d == '(' || d == 'R' || d == '|' ||
			    (d >= '0' && d <= '9') || d == '&' || d == '#' ||
			    d == 'C' || d == '+')
				return "this group syntax is not supported";
		}
		if (c == '(' && i + 1 < n && p[i + 1] == '*')
			return "pcre2 verbs are not RE2 syntax";
		if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < n &&
		    p[i + 1] == '+')
			return "possessive quantifiers are not supported";
	}
	return NULL;
}

pcre2_code *
cel_regex_compile(const char *pat, size_t n, char *errbuf, size_t errlen)
{
	pcre2_code *re;
	pcre2_compile_context *cctx;
	const char *why;
	int errcode;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];

	why = re2_unsupported(pat, n);
	if (why != NULL) {
		snprintf(errbuf, errlen, "%s", why);
		return NULL;
	}
	/* RE2: lines end at \n only; $ without (?m) only at the very end */
	cctx = pcre2_compile_context_create(NULL);
	pcre2_set_newline(cctx, PCRE2_NEWLINE_LF);
	/*
	 * Not PCRE2_MATCH_INVALID_UTF: pcre2 10.42's JIT then fails \D on
	 * non-ASCII text.  Strings are valid UTF-8 (the loader checks).
	 */
	re = pcre2_compile((PCRE2_SPTR)pat, n, PCRE2_UTF | PCRE2_DOLLAR_ENDONLY |
	    PCRE2_NEVER_BACKSLASH_C, &errcode, &off, cctx);
	pcre2_compile_context_free(cctx);
	if (re == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		snprintf(errbuf, errlen, "%s at offset %zu", (const char *)msg,
		    (size_t)off);
		return NULL;
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static struct cel_val
fn_matches(struct ev *ev, const struct cel_ast *e, const struct cel_val *s,
    const struct cel_val *pat)
{
	pcre2_code *re = e->re;
	pcre2_match_data *md;
	char msg[256];
	int rc;

	if (s->k != CV_STRING || pat->k != CV_STRING)
		return no_overload();
	if (re == NULL) {
		re = cel_regex_compile(pat->s.p, pat->s.n, msg, sizeof(msg));
		if (re == NULL)
			return verr(ev, "error parsing regexp: %s", msg);
	}
	md = pcre2_match_data_create_from_pattern(re, NULL);
	rc = pcre2_match(re, (PCRE2_SPTR)s->s.p, s->s.n, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	if (re != e->re)
		pcre2_code_free(re);
	if (rc >= 0)
		return vbool(true);
	if (rc == PCRE2_ERROR_NOMATCH)
		return vbool(false);
	return verr(ev, "regular expression match failed (pcre2 error %d)", rc);
}

/* ---- arithmetic ---- */

static struct cel_val
concat(struct ev *ev, const struct cel_val *a, const struct cel_val *b)
{
	struct cel_val v;
	struct cel_vec *vec;
	size_t na, nb, i;
	char *p;

	if (a->k == CV_STRING || a->k == CV_BYTES) {
		p = arena_alloc(ev_arena(ev), a->s.n + b->s.n + 1);
		if (a->s.n)
			memcpy(p, a->s.p, a->s.n);
		if (b->s.n)
			memcpy(p + a->s.n, b->s.p, b->s.n);
		return vstr(a->k, p, a->s.n + b->s.n);
	}
	na = list_len(a);
	nb = list_len(b);
	if (nb == 0)
		return *a;
	if (na == 0)
		return *b;
	v = vlist(ev, na + nb, &vec);
	for (i = 0; i < na; i++)
		vec->v[i] = list_at(a, i);
	for (i = 0; i < nb; i++)
		vec->v[na + i] = list_at(b, i);
	return v;
}

static struct cel_val
arith(struct ev *ev, enum cel_op op, const struct cel_val *a,
    const struct cel_val *b)
{
	int64_t r;
	uint64_t u;

	if (a->k != b->k)
		return no_overload();
	switch (a->k) {
	case CV_INT:
	case CV_DURATION:
		if (a->k == CV_DURATION && op != OP_ADD && op != OP_SUB)
			return no_overload();
		switch (op) {
		case OP_ADD:
			if (__builtin_add_overflow(a->i, b->i, &r))
				return vconst_err("integer overflow");
			break;
		case OP_SUB:
			if (__builtin_sub_overflow(a->i, b->i, &r))
				return vconst_err("integer overflow");
			break;
		case OP_MUL:
			if (__builtin_mul_overflow(a->i, b->i, &r))
				return vconst_err("integer overflow");
			break;
		case OP_DIV:
		case OP_MOD:
			if (b->i == 0)
				return vconst_err(op == OP_DIV ? "division by zero" :
				    "modulus by zero");
			if (a->i == INT64_MIN && b->i == -1)
				return vconst_err("integer overflow");
			r = op == OP_DIV ? a->i / b->i : a->i % b->i;
			break;
		default:
			return no_overload();
		}
		return a->k == CV_INT ? vint(r) : vdur(r);
	case CV_UINT:
		switch (op) {
		case OP_ADD:
			if (__builtin_add_overflow(a->u, b->u, &u))
				return vconst_err("unsigned integer overflow");
			break;
		case OP_SUB:
			if (__builtin_sub_overflow(a->u, b->u, &u))
				return vconst_err("unsigned integer overflow");
			break;
		case OP_MUL:
			if (__builtin_mul_overflow(a->u, b->u, &u))
				return vconst_err("unsigned integer overflow");
			break;
		case OP_DIV:
		case OP_MOD:
			if (b->u == 0)
				return vconst_err(op == OP_DIV ? "division by zero" :
				    "modulus by zero");
			u = op == OP_DIV ? a->u / b->u : a->u % b->u;
			break;
		default:
			return no_overload();
		}
		return vuint(u);
	case CV_DOUBLE:
		switch (op) {
		case OP_ADD: return vdouble(a->d + b->d);
		case OP_SUB: return vdouble(a->d - b->d);
		case OP_MUL: return vdouble(a->d * b->d);
		case OP_DIV: return vdouble(a->d / b->d);
		default: return no_overload();
		}
	case CV_STRING:
	case CV_BYTES:
	case CV_LIST:
		if (op != OP_ADD)
			return no_overload();
		return concat(ev, a, b);
	default:
		return no_overload();
	}
}

/* ---- conversions ---- */

static struct cel_val
conv_err(struct ev *ev, enum cel_kind from, const char *to)
{
	return verr(ev, "type conversion error from '%s' to '%s'", type_name(from),
	    to);
}

/* Go's strconv.FormatFloat(d, 'g', -1, 64). */
static void
format_double(struct strbuf *sb, double d)
{
	char buf[64], digits[32];
	int prec, exp, nd, i;
	char *e;

	if (isnan(d)) {
		sb_adds(sb, "NaN");
		return;
	}
	if (isinf(d)) {
		sb_adds(sb, d > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (prec = 0; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* buf is [-]D[.DDD]e[+-]XX */
	nd = 0;
	for (i = 0; buf[i] != 'e'; i++)
		if (buf[i] >= '0' && buf[i] <= '9')
			digits[nd++] = buf[i];
	digits[nd] = '\0';
	e = strchr(buf, 'e');
	exp = atoi(e + 1);
	if (d < 0)
		sb_addc(sb, '-');
	if (exp < -4 || exp >= 6) {
		sb_addc(sb, digits[0]);
		if (nd > 1) {
			sb_addc(sb, '.');
			sb_add(sb, digits + 1, (size_t)nd - 1);
		}
		sb_printf(sb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
	} else if (exp < 0) {
		sb_adds(sb, "0.");
		for (i = 0; i < -exp - 1; i++)
			sb_addc(sb, '0');
		sb_add(sb, digits, (size_t)nd);
	} else {
		for (i = 0; i <= exp || i < nd; i++) {
			if (i == exp + 1)
				sb_addc(sb, '.');
			sb_addc(sb, i < nd ? digits[i] : '0');
		}
	}
}

static void
format_duration(struct strbuf *sb, int64_t ns)
{
	uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	char frac[16];
	int i;

	if (ns < 0)
		sb_addc(sb, '-');
	sb_printf(sb, "%" PRIu64, a / 1000000000);
	if (a % 1000000000 != 0) {
		snprintf(frac, sizeof(frac), "%09" PRIu64, a % 1000000000);
		for (i = 8; i > 0 && frac[i] == '0'; i--)
			frac[i] = '\0';
		sb_printf(sb, ".%s", frac);
	}
	sb_addc(sb, 's');
}

static bool
utf8_valid(const char *s, size_t n)
{
	size_t i = 0, l;
	uint32_t c;

	while (i < n) {
		c = utf8_decode(s + i, n - i, &l);
		if (c == 0xfffd && l == 1 && (unsigned char)s[i] >= 0x80)
			return false;
		i += l;
	}
	return true;
}

static struct cel_val
convert(struct ev *ev, enum cel_fn fn, const struct cel_val *x)
{
	struct strbuf sb;
	char buf[128], *end;
	int64_t ns;

	switch (fn) {
	case FN_DYN:
		return *x;
	case FN_INT:
		switch (x->k) {
		case CV_INT: return *x;
		case CV_UINT:
			if (x->u > INT64_MAX)
				return vconst_err("integer overflow");
			return vint((int64_t)x->u);
		case CV_DOUBLE:
			if (isnan(x->d) || x->d <= -9223372036854775808.0 ||
			    x->d >= 9223372036854775808.0)
				return vconst_err("integer overflow");
			return vint((int64_t)x->d);
		case CV_DURATION: return vint(x->i);
		case CV_STRING:
			if (x->s.n == 0 || x->s.n >= sizeof(buf))
				return conv_err(ev, x->k, "int");
			memcpy(buf, x->s.p, x->s.n);
			buf[x->s.n] = '\0';
			errno = 0;
			ns = strtoll(buf, &end, 10);
			if (*end != '\0' || errno != 0 || buf[0] == ' ' ||
			    buf[0] == '\t' || buf[0] == '\n')
				return conv_err(ev, x->k, "int");
			return vint(ns);
		default: return conv_err(ev, x->k, "int");
		}
	case FN_UINT:
		switch (x->k) {
		case CV_UINT: return *x;
		case CV_INT:
			if (x->i < 0)
				return vconst_err("unsigned integer overflow");
			return vuint((uint64_t)x->i);
		case CV_DOUBLE:
			if (isnan(x->d) || x->d < 0 || x->d >= 18446744073709551616.0)
				return vconst_err("unsigned integer overflow");
			return vuint((uint64_t)x->d);
		case CV_STRING:
			if (x->s.n == 0 || x->s.n >= sizeof(buf) ||
			    !(x->s.p[0] >= '0' && x->s.p[0] <= '9'))
				return conv_err(ev, x->k, "uint");
			memcpy(buf, x->s.p, x->s.n);
			buf[x->s.n] = '\0';
			errno = 0;
			{
				uint64_t u = strtoull(buf, &end, 10);

				if (*end != '\0' || errno != 0)
					return conv_err(ev, x->k, "uint");
				return vuint(u);
			}
		default: return conv_err(ev, x->k, "uint");
		}
	case FN_DOUBLE:
		switch (x->k) {
		case CV_DOUBLE: return *x;
		case CV_INT: return vdouble((double)x->i);
		case CV_UINT: return vdouble((double)x->u);
		case CV_STRING:
			if (x->s.n == 0 || x->s.n >= sizeof(buf) ||
			    strchr(" \t\n\r\v\f", x->s.p[0]) != NULL)
				return conv_err(ev, x->k, "double");
			memcpy(buf, x->s.p, x->s.n);
			buf[x->s.n] = '\0';
			{
				double d = strtod(buf, &end);

				if (*end != '\0')
					return conv_err(ev, x->k, "double");
				return vdouble(d);
			}
		default: return conv_err(ev, x->k, "double");
		}
	case FN_STRING:
		sb_init(&sb);
		switch (x->k) {
		case CV_STRING: sb_release(&sb); return *x;
		case CV_BYTES:
			if (!utf8_valid(x->s.p, x->s.n)) {
				sb_release(&sb);
				return vconst_err("invalid UTF-8 in bytes, cannot "
				    "convert to string");
			}
			sb_add(&sb, x->s.p, x->s.n);
			break;
		case CV_INT: sb_printf(&sb, "%" PRId64, x->i); break;
		case CV_UINT: sb_printf(&sb, "%" PRIu64, x->u); break;
		case CV_DOUBLE: format_double(&sb, x->d); break;
		case CV_BOOL: sb_adds(&sb, x->b ? "true" : "false"); break;
		case CV_DURATION: format_duration(&sb, x->i); break;
		default:
			sb_release(&sb);
			return conv_err(ev, x->k, "string");
		}
		return vstr_sb(ev, &sb);
	case FN_BYTES:
		if (x->k == CV_BYTES)
			return *x;
		if (x->k == CV_STRING)
			return vstr(CV_BYTES, x->s.p, x->s.n);
		return conv_err(ev, x->k, "bytes");
	case FN_BOOL:
		if (x->k == CV_BOOL)
			return *x;
		if (x->k == CV_STRING) {
			static const char *const t[] = { "1", "t", "T", "TRUE", "true", "True" };
			static const char *const f[] = { "0", "f", "F", "FALSE", "false", "False" };
			size_t i;

			for (i = 0; i < nitems(t); i++) {
				if (strlen(t[i]) == x->s.n && memcmp(t[i], x->s.p, x->s.n) == 0)
					return vbool(true);
				if (strlen(f[i]) == x->s.n && memcmp(f[i], x->s.p, x->s.n) == 0)
					return vbool(false);
			}
		}
		return conv_err(ev, x->k, "bool");
	case FN_DURATION:
		if (x->k == CV_DURATION)
			return *x;
		if (x->k == CV_STRING && parse_duration(x->s.p, x->s.n, &ns))
			return vdur(ns);
		return conv_err(ev, x->k, "google.protobuf.Duration");
	default:
		return no_overload();
	}
}

/* ---- string and list functions ---- */

static struct cel_val
fn_index_of(struct ev *ev, const struct cel_val *args, size_t n, bool last)
{
	const struct cel_val *s = &args[0], *sub = &args[1];
	size_t len, sublen, i, j, bi;
	int64_t off;

	if (s->k == CV_LIST) {
		size_t cnt = list_len(s);

		if (n != 2)
			return no_overload();
		for (i = 0; i < cnt; i++) {
			size_t k = last ? cnt - 1 - i : i;
			struct cel_val x = list_at(s, k);

			if (val_equal(&x, sub))
				return vint((int64_t)k);
		}
		return vint(-1);
	}
	if (s->k != CV_STRING || sub->k != CV_STRING ||
	    (n == 3 && args[2].k != CV_INT))
		return no_overload();
	len = utf8_count(s->s.p, s->s.n);
	sublen = utf8_count(sub->s.p, sub->s.n);
	if (n == 3)
		off = args[2].i;
	else
		off = last ? (int64_t)len - 1 : 0;
	if (sublen == 0)
		return vint(n == 3 ? off : last ? (int64_t)len : 0);
	if (off < 0)
		return verr(ev, "index out of range: %" PRId64, off);
	if (off >= (int64_t)len)
		return vint(-1);
	if (!last) {
		for (i = (size_t)off; i + sublen <= len; i++) {
			bi = utf8_offset(s->s.p, s->s.n, i);
			if (s->s.n - bi >= sub->s.n &&
			    memcmp(s->s.p + bi, sub->s.p, sub->s.n) == 0)
				return vint((int64_t)i);
		}
		return vint(-1);
	}
	if (sublen > len)
		return vint(-1);
	j = (size_t)off;
	if (j > len - sublen)
		j = len - sublen;
	for (i = j + 1; i-- > 0; ) {
		bi = utf8_offset(s->s.p, s->s.n, i);
		if (s->s.n - bi >= sub->s.n &&
		    memcmp(s->s.p + bi, sub->s.p, sub->s.n) == 0)
			return vint((int64_t)i);
	}
	return vint(-1);
}

/* Go strings.Replace(s, old, new, n); n < 0 replaces all. */
static struct cel_val
fn_replace(struct ev *ev, const struct cel_val *args, size_t n)
{
	const struct cel_val *s = &args[0], *old = &args[1], *nw = &args[2];
	struct strbuf sb;
	int64_t lim = -1, done = 0;
	size_t i = 0, l;

	if (s->k != CV_STRING || old->k != CV_STRING || nw->k != CV_STRING ||
	    (n == 4 && args[3].k != CV_INT))
		return no_overload();
	if (n == 4)
		lim = args[3].i;
	if (lim == 0)
		return *s;
	sb_init(&sb);
	if (old->s.n == 0) {
		/* insert new before every code point and at the end */
		for (;;) {
			if (lim >= 0 && done >= lim)
				break;
			sb_add(&sb, nw->s.p, nw->s.n);
			done++;
			if (i >= s->s.n)
				break;
			(void)utf8_decode(s->s.p + i, s->s.n - i, &l);
			sb_add(&sb, s->s.p + i, l);
			i += l;
		}
		sb_add(&sb, s->s.p + i, s->s.n - i);
		return vstr_sb(ev, &sb);
	}
	while (i < s->s.n) {
		if ((lim < 0 || done < lim) && s->s.n - i >= old->s.n &&
		    memcmp(s->s.p + i, old->s.p, old->s.n) == 0) {
			sb_add(&sb, nw->s.p, nw->s.n);
			i += old->s.n;
			done++;
		} else
			sb_addc(&sb, s->s.p[i++]);
	}
	return vstr_sb(ev, &sb);
}

/* Go strings.SplitN(s, sep, n); n < 0 means all. */
static struct cel_val
fn_split(struct ev *ev, const struct cel_val *args, size_t n)
{
	const struct cel_val *s = &args[0], *sep = &args[1];
	struct cel_val v;
	struct cel_vec *vec;
	int64_t lim = -1;
	size_t cnt = 0, cap, i, start, l;

	if (s->k != CV_STRING || sep->k != CV_STRING ||
	    (n == 3 && args[2].k != CV_INT))
		return no_overload();
	if (n == 3)
		lim = args[2].i;
	if (lim == 0)
		return vlist(ev, 0, &vec);
	cap = s->s.n + 1;
	if (lim > 0 && (uint64_t)lim < cap)
		cap = (size_t)lim;
	v = vlist(ev, cap, &vec);
	if (sep->s.n == 0) {
		for (i = 0; i < s->s.n; i += l) {
			(void)utf8_decode(s->s.p + i, s->s.n - i, &l);
			if (lim > 0 && cnt + 1 == (size_t)lim) {
				l = s->s.n - i;
			}
			vec->v[cnt++] = vstr(CV_STRING, s->s.p + i, l);
		}
		vec->n = cnt;
		return v;
	}
	start = 0;
	for (i = 0; i + sep->s.n <= s->s.n; ) {
		if ((lim < 0 || cnt + 1 < (size_t)lim) &&
		    memcmp(s->s.p + i, sep->s.p, sep->s.n) == 0) {
			vec->v[cnt++] = vstr(CV_STRING, s->s.p + start, i - start);
			i += sep->s.n;
			start = i;
		} else
			i++;
	}
	vec->v[cnt++] = vstr(CV_STRING, s->s.p + start, s->s.n - start);
	vec->n = cnt;
	return v;
}

static struct cel_val
fn_join(struct ev *ev, const struct cel_val *args, size_t n)
{
	struct strbuf sb;
	size_t i, cnt;

	if (args[0].k != CV_LIST || (n == 2 && args[1].k != CV_STRING))
		return no_overload();
	cnt = list_len(&args[0]);
	sb_init(&sb);
	for (i = 0; i < cnt; i++) {
		struct cel_val x = list_at(&args[0], i);

		if (x.k != CV_STRING) {
			sb_release(&sb);
			return no_overload();
		}
		if (i > 0 && n == 2)
			sb_add(&sb, args[1].s.p, args[1].s.n);
		sb_add(&sb, x.s.p, x.s.n);
	}
	return vstr_sb(ev, &sb);
}

static struct cel_val
fn_substring(struct ev *ev, const struct cel_val *args, size_t n)
{
	const struct cel_val *s = &args[0];
	int64_t start, end, len;
	size_t bs, be;

	if (s->k != CV_STRING || args[1].k != CV_INT ||
	    (n == 3 && args[2].k != CV_INT))
		return no_overload();
	len = (int64_t)utf8_count(s->s.p, s->s.n);
	start = args[1].i;
	end = n == 3 ? args[2].i : len;
	if (n == 3 && start > end)
		return verr(ev, "invalid substring range. start: %" PRId64
		    ", end: %" PRId64, start, end);
	if (start < 0 || start > len)
		return verr(ev, "index out of range: %" PRId64, start);
	if (end < 0 || end > len)
		return verr(ev, "index out of range: %" PRId64, end);
	bs = utf8_offset(s->s.p, s->s.n, (size_t)start);
	be = utf8_offset(s->s.p, s->s.n, (size_t)end);
	return vstr(CV_STRING, s->s.p + bs, be - bs);
}

static struct cel_val
fn_list_fold(struct ev *ev, enum cel_fn fn, const struct cel_val *l)
{
	struct cel_val acc, x, r;
	size_t i, n;
	int c;

	if (l->k != CV_LIST)
		return no_overload();
	n = list_len(l);
	if (fn == FN_SUM) {
		acc = vint(0);
		for (i = 0; i < n; i++) {
			x = list_at(l, i);
			if (i == 0 && (x.k == CV_UINT || x.k == CV_DOUBLE ||
			    x.k == CV_DURATION))
				acc = x;
			else {
				r = arith(ev, OP_ADD, &acc, &x);
				if (r.k == CV_ERROR)
					return r;
				acc = r;
			}
		}
		return acc;
	}
	if (fn == FN_IS_SORTED) {
		for (i = 1; i < n; i++) {
			struct cel_val a = list_at(l, i - 1), b = list_at(l, i);

			c = compare(&a, &b);
			if (c == -2)
				return no_overload();
			if (c == 1)
				return vbool(false);
		}
		return vbool(true);
	}
	if (n == 0)
		return verr(ev, "%s called on empty list", fn == FN_MIN ? "min" : "max");
	acc = list_at(l, 0);
	for (i = 1; i < n; i++) {
		x = list_at(l, i);
		c = compare(&acc, &x);
		if (c == -2)
			return no_overload();
		if ((fn == FN_MIN && c == 1) || (fn == FN_MAX && c == -1))
			acc = x;
	}
	return acc;
}

static struct cel_val
fn_case(struct ev *ev, const struct cel_val *s, bool upper)
{
	char *p;
	size_t i;

	if (s->k != CV_STRING)
		return no_overload();
	p = arena_strndup(ev_arena(ev), s->s.p, s->s.n);
	for (i = 0; i < s->s.n; i++) {
		if (upper && p[i] >= 'a' && p[i] <= 'z')
			p[i] = (char)(p[i] - 'a' + 'A');
		else if (!upper && p[i] >= 'A' && p[i] <= 'Z')
			p[i] = (char)(p[i] - 'A' + 'a');
	}
	return vstr(CV_STRING, p, s->s.n);
}

static struct cel_val
fn_trim(const struct cel_val *s)
{
	size_t b = 0, e, l, i, end;

	if (s->k != CV_STRING)
		return no_overload();
	e = s->s.n;
	while (b < e && is_space(utf8_decode(s->s.p + b, e - b, &l)))
		b += l;
	/* e: the end of the last code point that is not a space */
	end = b;
	for (i = b; i < e; i += l)
		if (!is_space(utf8_decode(s->s.p + i, e - i, &l)))
			end = i + l;
	e = end;
	return vstr(CV_STRING, s->s.p + b, e - b);
}

static struct cel_val
call(struct ev *ev, const struct cel_ast *e)
{
	struct cel_val args[4], *x = &args[0];
	size_t i, n = e->nargs;

	for (i = 0; i < n; i++) {
		args[i] = eval(ev, e->args[i]);
		if (args[i].k == CV_ERROR)
			return args[i];
	}
	switch (e->fn) {
	case FN_SIZE:
		switch (x->k) {
		case CV_STRING: return vint((int64_t)utf8_count(x->s.p, x->s.n));
		case CV_BYTES: return vint((int64_t)x->s.n);
		case CV_LIST: return vint((int64_t)list_len(x));
		case CV_MAP: return vint((int64_t)map_len(x));
		default: return no_overload();
		}
	case FN_MATCHES:
		return fn_matches(ev, e, &args[0], &args[1]);
	case FN_STARTS_WITH:
	case FN_ENDS_WITH:
	case FN_CONTAINS:
		if (x->k != CV_STRING || args[1].k != CV_STRING)
			return no_overload();
		if (args[1].s.n > x->s.n)
			return vbool(false);
		if (e->fn == FN_STARTS_WITH)
			return vbool(memcmp(x->s.p, args[1].s.p, args[1].s.n) == 0);
		if (e->fn == FN_ENDS_WITH)
			return vbool(memcmp(x->s.p + x->s.n - args[1].s.n,
			    args[1].s.p, args[1].s.n) == 0);
		if (args[1].s.n == 0)
			return vbool(true);
		return vbool(memmem(x->s.p, x->s.n, args[1].s.p, args[1].s.n) != NULL);
	case FN_UPPER_ASCII:
	case FN_LOWER_ASCII:
		return fn_case(ev, x, e->fn == FN_UPPER_ASCII);
	case FN_TRIM:
		return fn_trim(x);
	case FN_SPLIT:
		return fn_split(ev, args, n);
	case FN_JOIN:
		return fn_join(ev, args, n);
	case FN_INDEX_OF:
	case FN_LAST_INDEX_OF:
		return fn_index_of(ev, args, n, e->fn == FN_LAST_INDEX_OF);
	case FN_REPLACE:
		return fn_replace(ev, args, n);
	case FN_SUBSTRING:
		return fn_substring(ev, args, n);
	case FN_CHAR_AT:
		if (x->k != CV_STRING || args[1].k != CV_INT)
			return no_overload();
		{
			int64_t len = (int64_t)utf8_count(x->s.p, x->s.n);
			size_t b, l;

			if (args[1].i < 0 || args[1].i > len)
				return verr(ev, "index out of range: %" PRId64,
				    args[1].i);
			if (args[1].i == len)
				return vstr(CV_STRING, "", 0);
			b = utf8_offset(x->s.p, x->s.n, (size_t)args[1].i);
			(void)utf8_decode(x->s.p + b, x->s.n - b, &l);
			return vstr(CV_STRING, x->s.p + b, l);
		}
	case FN_INT: case FN_UINT: case FN_DOUBLE: case FN_STRING:
	case FN_BYTES: case FN_BOOL: case FN_DURATION: case FN_DYN:
		return convert(ev, e->fn, x);
	case FN_IS_SORTED:
	case FN_SUM:
	case FN_MIN:
	case FN_MAX:
		return fn_list_fold(ev, e->fn, x);
	case FN_GET_HOURS:
	case FN_GET_MINUTES:
	case FN_GET_SECONDS:
	case FN_GET_MILLISECONDS:
		if (x->k != CV_DURATION)
			return no_overload();
		return vint(x->i / (e->fn == FN_GET_HOURS ? INT64_C(3600000000000) :
		    e->fn == FN_GET_MINUTES ? INT64_C(60000000000) :
		    e->fn == FN_GET_SECONDS ? INT64_C(1000000000) : INT64_C(1000000)));
	}
	return no_overload();
}

/* ---- the evaluator ---- */

/* m.f: f is looked up by its name, errors speak of it as written. */
static struct cel_val
select_field(struct ev *ev, const struct cel_val *m, const struct cel_ast *e,
    bool test)
{
	struct cel_val key = vstr(CV_STRING, e->name, e->namelen), out;
	struct cel_val written = vstr(CV_STRING, e->written, e->writtenlen);
	int r;

	/* as cel-go qualifies a value that is not a map */
	if (m->k != CV_MAP) {
		if (test)
			return vbool(false);
		if (m->k == CV_LIST)
			return vconst_err("unsupported index type 'string' in list");
		return no_such_key(ev, &written);
	}
	r = map_find(m, &key, &out);
	if (test)
		return r < 0 ? no_overload() : vbool(r == 1);
	if (r == 1)
		return out;
	if (r < 0)
		return no_overload();
	return no_such_key(ev, &written);
}

static struct cel_val
index_val(struct ev *ev, const struct cel_val *c, const struct cel_val *k)
{
	struct cel_val out;
	int64_t i;
	size_t n;
	int r;

	if (c->k == CV_MAP) {
		r = map_find(c, k, &out);
		if (r == 1)
			return out;
		if (r < 0)
			return no_overload();
		return no_such_key(ev, k);
	}
	if (c->k != CV_LIST)
		return no_such_key(ev, k);
	switch (k->k) {
	case CV_INT:
		i = k->i;
		break;
	case CV_UINT:
		i = k->u > INT64_MAX ? INT64_MAX : (int64_t)k->u;
		break;
	case CV_DOUBLE:
		if (k->d != floor(k->d) || fabs(k->d) >= 9.2e18)
			return verr(ev, "unsupported index value %g in list", k->d);
		i = (int64_t)k->d;
		break;
	default:
		return verr(ev, "unsupported index type '%s' in list",
		    type_name(k->k));
	}
	n = list_len(c);
	if (i < 0 || (uint64_t)i >= n)
		return verr(ev, "index '%" PRId64 "' out of range in list size '%zu'",
		    i, n);
	return list_at(c, (size_t)i);
}

static struct cel_val
eval_logic(struct ev *ev, const struct cel_ast *e)
{
	bool is_and = e->op == OP_AND;
	struct cel_val l = eval(ev, e->a), r;

	/* false && x is false, true || x is true, whatever x is */
	if (l.k == CV_BOOL && l.b != is_and)
		return l;
	r = eval(ev, e->b);
	if (r.k == CV_BOOL && r.b != is_and)
		return r;
	if (l.k == CV_BOOL && r.k == CV_BOOL)
		return l;
	/* the first operand that is not a bool decides the error */
	if (l.k != CV_BOOL)
		return l.k == CV_ERROR ? l : no_overload();
	return r.k == CV_ERROR ? r : no_overload();
}

static struct cel_val
eval_in(struct ev *ev, const struct cel_val *x, const struct cel_val *c)
{
	struct cel_val out;
	size_t i, n;
	int r;

	if (c->k == CV_MAP) {
		r = map_find(c, x, &out);
		if (r < 0)
			return no_overload();
		return vbool(r == 1);
	}
	if (c->k != CV_LIST)
		return no_overload();
	n = list_len(c);
	for (i = 0; i < n; i++) {
		struct cel_val y = list_at(c, i);

		if (val_equal(&y, x))
			return vbool(true);
	}
	(void)ev;
	return vbool(false);
}

/* The macros, as cel-go folds them. */
static struct cel_val
eval_comprehension(struct ev *ev, const struct cel_ast *e)
{
	struct cel_val range = eval(ev, e->a), acc, p, item;
	struct cel_vec *out = NULL;
	size_t i, n, cnt = 0;
	int64_t count = 0;
	bool ismap;

	if (range.k == CV_ERROR)
		return range;
	if (range.k != CV_LIST && range.k != CV_MAP)
		return no_overload();
	ismap = range.k == CV_MAP;
	n = ismap ? map_len(&range) : list_len(&range);
	switch (e->op) {
	case OP_ALL: acc = vbool(true); break;
	case OP_EXISTS: acc = vbool(false); break;
	case OP_MAPM:
	case OP_FILTER:
		acc = vlist(ev, n, &out);
		break;
	default: acc = vint(0); break;
	}
	for (i = 0; i < n; i++) {
		item = ismap ? map_key_at(&range, i) : list_at(&range, i);
		ev->slots[e->slot] = item;
		switch (e->op) {
		case OP_ALL:
		case OP_EXISTS:
			/* acc = acc && p (all), acc || p (exists), absorbing */
			p = eval(ev, e->b);
			if (p.k == CV_BOOL && p.b == (e->op == OP_EXISTS))
				return p;
			if (p.k != CV_BOOL && acc.k != CV_ERROR)
				acc = p.k == CV_ERROR ? p : no_overload();
			break;
		case OP_EXISTS_ONE:
			p = eval(ev, e->b);
			if (p.k == CV_ERROR)
				return p;
			if (p.k != CV_BOOL)
				return no_overload();
			if (p.b)
				count++;
			break;
		case OP_FILTER:
			p = eval(ev, e->b);
			if (p.k == CV_ERROR)
				return p;
			if (p.k != CV_BOOL)
				return no_overload();
			if (p.b)
				out->v[cnt++] = item;
			break;
		case OP_MAPM:
			if (e->c != NULL) {
				p = eval(ev, e->c);
				if (p.k == CV_ERROR)
					return p;
				if (p.k != CV_BOOL)
					return no_overload();
				if (!p.b)
					break;
			}
			p = eval(ev, e->b);
			if (p.k == CV_ERROR)
				return p;
			out->v[cnt++] = p;
			break;
		default:
			return no_overload();
		}
	}
	if (e->op == OP_EXISTS_ONE)
		return vbool(count == 1);
	if (out != NULL)
		out->n = cnt;
	return acc;
}

static struct cel_val
eval(struct ev *ev, const struct cel_ast *e)
{
	struct cel_val a, b;
	struct cel_vec *vec;
	size_t i;
	int c;

	switch (e->op) {
	case OP_LIT:
		return e->lit;
	case OP_SELF:
		return node_val(ev->self);
	case OP_OLDSELF:
		return vconst_err("oldSelf is not available: transition rules "
		    "need the previous version of the object");
	case OP_VAR:
		return ev->slots[e->slot];
	case OP_SELECT:
	case OP_HAS:
		a = eval(ev, e->a);
		if (a.k == CV_ERROR)
			return a;
		return select_field(ev, &a, e, e->op == OP_HAS);
	case OP_INDEX:
		a = eval(ev, e->a);
		if (a.k == CV_ERROR)
			return a;
		b = eval(ev, e->b);
		if (b.k == CV_ERROR)
			return b;
		return index_val(ev, &a, &b);
	case OP_NOT:
		a = eval(ev, e->a);
		if (a.k == CV_BOOL)
			return vbool(!a.b);
		return a.k == CV_ERROR ? a : no_overload();
	case OP_NEG:
		a = eval(ev, e->a);
		switch (a.k) {
		case CV_ERROR: return a;
		case CV_INT:
		case CV_DURATION:
			if (a.i == INT64_MIN)
				return vconst_err("integer overflow");
			a.i = -a.i;
			return a;
		case CV_DOUBLE: return vdouble(-a.d);
		default: return no_overload();
		}
	case OP_AND:
	case OP_OR:
		return eval_logic(ev, e);
	case OP_COND:
		a = eval(ev, e->a);
		if (a.k == CV_BOOL)
			return eval(ev, a.b ? e->b : e->c);
		return a.k == CV_ERROR ? a : no_overload();
	default:
		break;
	}
	switch (e->op) {
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
	case OP_IN: case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
	case OP_MOD:
		a = eval(ev, e->a);
		if (a.k == CV_ERROR)
			return a;
		b = eval(ev, e->b);
		if (b.k == CV_ERROR)
			return b;
		switch (e->op) {
		case OP_EQ: return vbool(val_equal(&a, &b));
		case OP_NE: return vbool(!val_equal(&a, &b));
		case OP_IN: return eval_in(ev, &a, &b);
		case OP_LT: case OP_LE: case OP_GT: case OP_GE:
			c = compare(&a, &b);
			if (c == -2)
				return no_overload();
			if (c == 2)
				return vbool(false);
			return vbool(e->op == OP_LT ? c < 0 : e->op == OP_LE ?
			    c <= 0 : e->op == OP_GT ? c > 0 : c >= 0);
		default:
			return arith(ev, e->op, &a, &b);
		}
	case OP_LIST:
		a = vlist(ev, e->nargs, &vec);
		for (i = 0; i < e->nargs; i++) {
			vec->v[i] = eval(ev, e->args[i]);
			if (vec->v[i].k == CV_ERROR)
				return vec->v[i];
		}
		return a;
	case OP_MAP:
		a = vlist(ev, e->nargs, &vec);
		a.k = CV_MAP;
		vec->n = e->nargs / 2;
		for (i = 0; i < e->nargs / 2; i++) {
			struct cel_val k = eval(ev, e->args[2 * i]), v, dummy;

			if (k.k == CV_ERROR)
				return k;
			if (k.k != CV_STRING && k.k != CV_INT && k.k != CV_UINT &&
			    k.k != CV_BOOL)
				return verr(ev, "unsupported key type: %s",
				    type_name(k.k));
			v = eval(ev, e->args[2 * i + 1]);
			if (v.k == CV_ERROR)
				return v;
			vec->n = i;
			if (map_find(&a, &k, &dummy) == 1)
				return verr(ev, "Failed with repeated key");
			vec->n = e->nargs / 2;
			vec->v[i] = k;
			vec->v[e->nargs / 2 + i] = v;
		}
		return a;
	case OP_ALL: case OP_EXISTS: case OP_EXISTS_ONE: case OP_MAPM:
	case OP_FILTER:
		return eval_comprehension(ev, e);
	case OP_CALL:
		return call(ev, e);
	default:
		return no_overload();
	}
}

static struct cel_val
run(const struct cel_program *prog, const struct node *self, struct ev *ev)
{
	/* the slots are written before they are read: no need to clear them */
	ev->prog = prog;
	ev->self = self;
	ev->arena = NULL;
	return eval(ev, prog->root);
}

enum cel_status
cel_eval_bool(const struct cel_program *prog, const struct node *self,
    char **err)
{
	struct ev ev;
	struct cel_val v = run(prog, self, &ev);
	enum cel_status st;

	*err = NULL;
	if (v.k == CV_BOOL)
		st = v.b ? CEL_TRUE : CEL_FALSE;
	else {
		st = CEL_ERROR;
		*err = xstrdup(v.k == CV_ERROR ? v.err : NO_OVERLOAD);
	}
	arena_free(ev.arena);
	return st;
}

int
cel_eval_string(const struct cel_program *prog, const struct node *self,
    char **out, char **err)
{
	struct ev ev;
	struct cel_val v = run(prog, self, &ev);
	int rc = 0;

	*out = NULL;
	*err = NULL;
	if (v.k == CV_STRING)
		*out = xstrndup(v.s.p, v.s.n);
	else {
		*err = xstrdup(v.k == CV_ERROR ? v.err :
		    "messageExpression must evaluate to a string");
		rc = -1;
	}
	arena_free(ev.arena);
	return rc;
}
