/*
 * load.c: see load.h.
 *
 * A source is first split into chunks at its document-start lines
 * (load_split), and the chunks are parsed in batches, each batch as one
 * libyaml stream (load_chunks): a syntax error ends its chunk only, and
 * parsing resumes at the next one.  par.c runs the same batches on worker
 * threads, so both paths report the same things.
 *
 * The parser builds a tree from libyaml events with an explicit stack (no
 * recursion, so depth is only bounded by max_depth).  Aliases share the
 * anchored subtree; the expanded size of every alias counts against
 * max_nodes, which stops "billion laughs" documents early.  Merge keys
 * ("<<") are applied when their map ends: the members of the merged maps
 * that the map does not set itself are inserted where the first "<<"
 * stood, earlier merge sources first.  Scalars are resolved as kubectl
 * does (go-yaml v2, YAML 1.1, then encoding/json), keys become the strings
 * the JSON conversion makes of them, and duplicates are errors.
 *
 * libyaml counts characters, not bytes, in its marks; node spans are
 * turned into byte offsets of the source (an ASCII range maps one to one,
 * otherwise a cursor walks the UTF-8), while columns stay in characters.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "arena.h"
#include "diag.h"
#include "fetch.h"
#include "load.h"
#include "source.h"
#include "util.h"

void
load_opts_init(struct load_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_doc_bytes = 3 * 1024 * 1024;
	o->max_nodes = 100000;
	o->max_depth = 100;
}

/* ---- scalar resolution (go-yaml v2, then the JSON round trip) ---- */

/* One of the three spellings go-yaml knows: lower, Title or UPPER case. */
static bool
word3(const char *s, const char *lower, const char *title, const char *upper)
{
	return strcmp(s, lower) == 0 || strcmp(s, title) == 0 || strcmp(s, upper) == 0;
}

static bool
is_null_word(const char *s)
{
	return *s == '\0' || strcmp(s, "~") == 0 || word3(s, "null", "Null", "NULL");
}

/* 1 for go-yaml's true words, 0 for its false words, -1 otherwise. */
static int
bool_word(const char *s)
{
	switch (strlen(s)) {
	case 1:
		if (*s == 'y' || *s == 'Y')
			return 1;
		if (*s == 'n' || *s == 'N')
			return 0;
		return -1;
	case 2:
		return word3(s, "on", "On", "ON") ? 1 : word3(s, "no", "No", "NO") ? 0 : -1;
	case 3:
		return word3(s, "yes", "Yes", "YES") ? 1 :
		    word3(s, "off", "Off", "OFF") ? 0 : -1;
	case 4:
		return word3(s, "true", "True", "TRUE") ? 1 : -1;
	case 5:
		return word3(s, "false", "False", "FALSE") ? 0 : -1;
	default:
		return -1;
	}
}

/* Copy s without underscores into buf (go-yaml strips them before parsing). */
static bool
strip_underscores(const char *s, char *buf, size_t cap)
{
	size_t n = 0;

	for (; *s; s++) {
		if (*s == '_')
			continue;
		if (n + 1 >= cap)
			return false;
		buf[n++] = *s;
	}
	buf[n] = '\0';
	return true;
}

/* The base of a Go integer literal (0x, 0o, 0b, or 0 for octal); skips it. */
static int
go_base(const char **pp)
{
	const char *p = *pp;

	if (p[0] != '0' || p[1] == '\0')
		return 10;
	*pp = p + 2;
	if (p[1] == 'x' || p[1] == 'X')
		return 16;
	if (p[1] == 'o' || p[1] == 'O')
		return 8;
	if (p[1] == 'b' || p[1] == 'B')
		return 2;
	*pp = p + 1;
	return 8;
}

/* Digits of p in base, at most lim; false on anything else. */
static bool
go_digits(const char *p, int base, uint64_t lim, uint64_t *out)
{
	uint64_t v = 0;
	int d;

	if (*p == '\0')
		return false;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return false;
		if (d >= base || v > (lim - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return true;
}

/* Go strconv.ParseInt(p, 0, 64): sign, then 0x, 0o, 0b or 0 (octal) prefix. */
static bool
parse_go_int(const char *p, int64_t *out)
{
	bool neg = false;
	uint64_t v;
	int base;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	base = go_base(&p);
	if (!go_digits(p, base, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &v))
		return false;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* Go strconv.ParseUint(p, 0, 64), as a double (for values above int64). */
static bool
parse_go_uint(const char *p, double *out)
{
	uint64_t v;
	int base = go_base(&p);

	if (!go_digits(p, base, UINT64_MAX, &v))
		return false;
	*out = (double)v;
	return true;
}

/* go-yaml v2's float pattern: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool
parse_yaml_float(const char *s, double *out)
{
	const char *p = s;
	bool digits = false;

	if (*p == '+' || *p == '-')
		p++;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	} else {
		while (*p >= '0' && *p <= '9') {
			p++;
			digits = true;
		}
		if (!digits)
			return false;
		if (*p == '.') {
			p++;
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != '\0')
		return false;
	*out = strtod(s, NULL);
	return true;
}

static int
special_float(const char *s, double *out)
{
	static const char *const inf[] = { ".inf", ".Inf", ".INF", "+.inf",
	    "+.Inf", "+.INF", NULL };
	static const char *const ninf[] = { "-.inf", "-.Inf", "-.INF", NULL };
	static const char *const nan[] = { ".nan", ".NaN", ".NAN", NULL };
	size_t i;

	for (i = 0; inf[i]; i++)
		if (strcmp(s, inf[i]) == 0) {
			*out = INFINITY;
			return 1;
		}
	for (i = 0; ninf[i]; i++)
		if (strcmp(s, ninf[i]) == 0) {
			*out = -INFINITY;
			return 1;
		}
	for (i = 0; nan[i]; i++)
		if (strcmp(s, nan[i]) == 0) {
			*out = NAN;
			return 1;
		}
	return 0;
}

enum ytype { Y_NULL, Y_BOOL, Y_INT, Y_FLOAT, Y_STR };

/*
 * go-yaml v2's resolve() for a plain scalar: the table of words first,
 * then, by the first character, integers (underscores removed,
 * strconv.ParseInt base 0), floats, binary.  Timestamps stay strings when
 * decoded into interface{}, so they need no case here.
 */
static enum ytype
yaml_resolve(const char *s, bool *b, int64_t *i, double *f)
{
	char buf[96];
	int bw;

	/* the first character decides which tables can match (go-yaml's hint) */
	switch (s[0]) {
	case '\0':
		return Y_NULL;
	case '~':
		return s[1] == '\0' ? Y_NULL : Y_STR;
	case 'y': case 'Y': case 'n': case 'N': case 't': case 'T':
	case 'f': case 'F': case 'o': case 'O':
		/* every word of the tables has at most five letters */
		if (strnlen(s, 6) > 5)
			return Y_STR;
		if (is_null_word(s))
			return Y_NULL;
		if ((bw = bool_word(s)) >= 0) {
			*b = bw == 1;
			return Y_BOOL;
		}
		return Y_STR;
	case '.':
		if (special_float(s, f) || parse_yaml_float(s, f))
			return Y_FLOAT;
		return Y_STR;
	case '+': case '-':
		if (special_float(s, f))
			return Y_FLOAT;
		break;
	default:
		if (s[0] < '0' || s[0] > '9')
			return Y_STR;
		break;
	}
	if (!strip_underscores(s, buf, sizeof(buf)))
		return Y_STR;
	if (parse_go_int(buf, i))
		return Y_INT;
	/* out of int64 range but a uint64 (ParseUint), and floats: a double */
	if (parse_go_uint(buf, f) || parse_yaml_float(buf, f))
		return Y_FLOAT;
	return Y_STR;
}

static void
set_float(struct node *n, double fv)
{
	/* encoding/json writes integral floats below 1e21 without a fraction,
	 * and the API server reads those as int64 when they fit */
	if (isfinite(fv) && fv == floor(fv) && fv >= -9223372036854775808.0 &&
	    fv < 9223372036854775808.0) {
		n->kind = NODE_INT;
		n->i = (int64_t)fv;
		n->f = fv;
	} else {
		n->kind = NODE_FLOAT;
		n->f = fv;
	}
}

bool
load_resolve_scalar(struct node *n, const char *tag, bool plain)
{
	enum ytype t;
	bool b = false;
	int64_t iv = 0;
	double fv = 0;
	const char *want = NULL;

	if (tag != NULL) {
		if (strncmp(tag, "tag:yaml.org,2002:", 18) != 0 ||
		    strcmp(tag + 18, "str") == 0 || strcmp(tag + 18, "binary") == 0 ||
		    strcmp(tag + 18, "timestamp") == 0) {
			/* !!str, and tags go-yaml does not resolve: the text */
			n->kind = NODE_STRING;
			return true;
		}
		want = tag + 18;
	} else if (!plain) {
		n->kind = NODE_STRING;
		return true;
	}
	t = yaml_resolve(n->str, &b, &iv, &fv);
	if (want != NULL) {
		if (strcmp(want, "float") == 0 && t == Y_INT) {
			t = Y_FLOAT;
			fv = (double)iv;
		}
		if ((strcmp(want, "int") == 0 && t != Y_INT) ||
		    (strcmp(want, "float") == 0 && t != Y_FLOAT) ||
		    (strcmp(want, "bool") == 0 && t != Y_BOOL) ||
		    (strcmp(want, "null") == 0 && t != Y_NULL)) {
			n->kind = NODE_STRING;
			return strcmp(want, "int") != 0 && strcmp(want, "float") != 0 &&
			    strcmp(want, "bool") != 0 && strcmp(want, "null") != 0;
		}
	}
	switch (t) {
	case Y_NULL:
		n->kind = NODE_NULL;
		break;
	case Y_BOOL:
		n->kind = NODE_BOOL;
		n->b = b;
		break;
	case Y_INT:
		n->kind = NODE_INT;
		n->i = iv;
		n->f = (double)iv;
		break;
	case Y_FLOAT:
		set_float(n, fv);
		break;
	case Y_STR:
		n->kind = NODE_STRING;
		break;
	}
	return true;
}

/*
 * Go's strconv.FormatFloat(f, 'g', -1, 32), which sigs.k8s.io/yaml uses
 * for float keys: the shortest digits that read back as the same float32,
 * in %e form when the exponent is below -4 or at least 6.
 */
static void
format_float32_key(double d, char *out, size_t cap)
{
	float x = (float)d;
	char e[64], digits[32];
	int p, exp, nd = 0, i, dp;
	const char *q;
	bool neg;

	if (isnan(x)) {
		snprintf(out, cap, ".nan");
		return;
	}
	if (isinf(x)) {
		snprintf(out, cap, "%s", x > 0 ? ".inf" : "-.inf");
		return;
	}
	for (p = 1; p <= 9; p++) {
		snprintf(e, sizeof(e), "%.*e", p - 1, (double)x);
		if (strtof(e, NULL) == x)
			break;
	}
	neg = e[0] == '-';
	for (q = e + (neg ? 1 : 0); *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9')
			digits[nd++] = *q;
	exp = *q == 'e' ? atoi(q + 1) : 0;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	if (x == 0) {
		snprintf(out, cap, "%s0", neg ? "-" : "");
		return;
	}
	if (exp < -4 || exp >= 6) {
		snprintf(out, cap, "%s%c%s%s%se%c%02d", neg ? "-" : "", digits[0],
		    nd > 1 ? "." : "", digits + 1, "", exp < 0 ? '-' : '+',
		    exp < 0 ? -exp : exp);
		return;
	}
	/* fixed notation: the digits with the point after exp+1 of them */
	{
		char buf[64];
		size_t n = 0;

		if (neg)
			buf[n++] = '-';
		dp = exp + 1;
		if (dp <= 0) {
			buf[n++] = '0';
			buf[n++] = '.';
			for (i = 0; i < -dp; i++)
				buf[n++] = '0';
			for (i = 0; i < nd; i++)
				buf[n++] = digits[i];
		} else {
			for (i = 0; i < dp || i < nd; i++) {
				if (i == dp)
					buf[n++] = '.';
				buf[n++] = i < nd ? digits[i] : '0';
			}
		}
		buf[n] = '\0';
		snprintf(out, cap, "%s", buf);
	}
}

const char *
load_key_text(struct arena *a, const struct node *k)
{
	enum ytype t;
	bool b;
	int64_t iv;
	double fv;
	char buf[64];

	switch (k->kind) {
	case NODE_BOOL:
		return k->b ? "true" : "false";
	case NODE_INT:
	case NODE_FLOAT:
		t = k->tag == NULL ? yaml_resolve(k->str, &b, &iv, &fv) : Y_STR;
		if (t == Y_INT || (t != Y_FLOAT && k->kind == NODE_INT))
			return arena_printf(a, "%" PRId64, k->i);
		format_float32_key(t == Y_FLOAT ? fv : k->f, buf, sizeof(buf));
		return arena_strdup(a, buf);
	default:
		return k->str;
	}
}

/* ---- tree building ---- */

struct frame {
	struct node	*node;
	struct node	*pending_key;	/* maps: key waiting for its value */
	const char	*anchor;
	size_t		 cap;
	size_t		 nodes_before;	/* node count when the frame opened */
	struct node	**merges;	/* maps: values of "<<" keys, in order */
	size_t		 nmerges, mergecap;
	size_t		 merge_at;	/* where the first "<<" stood */
	uint32_t	*ht;		/* maps: key hash table (pair index + 1) */
	size_t		 htcap;
};

struct anchor {
	const char	*name;
	struct node	*node;
	size_t		 size;		/* nodes in its subtree */
};

struct builder {
	struct arena		*a;
	const struct source	*src;
	const struct load_opts	*opts;
	struct diags		*diags;
	struct frame		*stack;
	size_t			 depth, stackcap;
	struct anchor		*anchors;
	size_t			 nanchors, anchorcap;
	uint32_t		*aht;		/* anchor hash table (index + 1) */
	size_t			 ahtcap;
	size_t			 nodes;		/* expanded nodes in this document */
	size_t			 aliases;	/* aliases used in this document */
	struct node		*root;
	const struct loc	*alias_loc;	/* where the node being added was aliased */
	bool			 failed;
	/* position mapping: libyaml counts characters from the parse start */
	const unsigned char	*text;		/* parser input (maybe de-tabbed) */
	size_t			 base;		/* byte offset of the parse start */
	size_t			 end;		/* byte offset of the parse end */
	int			 line0;		/* line of the parse start */
	size_t			 cur_ch, cur_b;	/* cursor: char index -> byte offset */
	struct arena		*spare;		/* documents' arena, reset after each */
	bool			 ascii;		/* the parse range is ASCII: chars are bytes */
	size_t			 bom;		/* 3 when a UTF-8 BOM (not counted) starts it */
};

/* Byte offset (absolute) of character index ch of the current parse. */
static size_t
char_to_byte(struct builder *b, size_t ch)
{
	const unsigned char *t = b->text;
	size_t ci, bi;
	uint64_t w;

	if (b->ascii)
		return b->base + ch < b->end ? b->base + ch : b->end;
	if (ch < b->cur_ch) {
		b->cur_ch = 0;
		b->cur_b = b->base + b->bom;
	}
	ci = b->cur_ch;
	bi = b->cur_b;
	while (ci < ch && bi < b->end) {
		if (ch - ci >= 8 && b->end - bi >= 8) {
			memcpy(&w, t + bi, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				ci += 8;
				bi += 8;
				continue;
			}
		}
		/* one character: a lead byte and its continuation bytes */
		bi++;
		while (bi < b->end && (t[bi] & 0xc0) == 0x80)
			bi++;
		ci++;
	}
	b->cur_ch = ci;
	b->cur_b = bi;
	return bi;
}

static void
set_loc(struct builder *b, struct loc *l, const yaml_mark_t *s, const yaml_mark_t *e)
{
	l->src = b->src;
	l->line = b->line0 + (int)s->line;
	l->col = (int)s->column + 1;
	l->start = char_to_byte(b, s->index);
	l->end = s == e ? l->start : char_to_byte(b, e->index);
}

static void
mark_loc(struct builder *b, struct loc *l, const yaml_mark_t *m)
{
	set_loc(b, l, m, m);
}

/* Location of an absolute byte offset within the current parse. */
static void
byte_loc(struct builder *b, struct loc *l, size_t off)
{
	size_t i;
	int line = b->line0, col = 1;

	for (i = b->base; i < off && i < b->end; i++) {
		if (b->text[i] == '\n') {
			line++;
			col = 1;
		} else if ((b->text[i] & 0xc0) != 0x80)
			col++;
	}
	l->src = b->src;
	l->line = line;
	l->col = col;
	l->start = l->end = off;
}

static uint32_t	key_hash(const char *);

/* Index of the anchor called name in this document, or -1. */
static long
anchor_find(const struct builder *b, const char *name)
{
	size_t i;
	uint32_t j;

	if (b->ahtcap == 0)
		return -1;
	for (i = key_hash(name) & (b->ahtcap - 1); (j = b->aht[i]) != 0;
	    i = (i + 1) & (b->ahtcap - 1))
		if (strcmp(b->anchors[j - 1].name, name) == 0)
			return (long)j - 1;
	return -1;
}

static void
anchor_index(struct builder *b, size_t idx)
{
	size_t i = key_hash(b->anchors[idx].name) & (b->ahtcap - 1);

	while (b->aht[i] != 0)
		i = (i + 1) & (b->ahtcap - 1);
	b->aht[i] = (uint32_t)idx + 1;
}

static void
remember_anchor(struct builder *b, const char *name, struct node *n, size_t size)
{
	long k = anchor_find(b, name);
	size_t i;

	if (k >= 0) {
		/* a redefined anchor: later aliases mean the new node */
		b->anchors[k].node = n;
		b->anchors[k].size = size;
		return;
	}
	if (b->nanchors == b->anchorcap) {
		b->anchorcap = b->anchorcap ? b->anchorcap * 2 : 8;
		b->anchors = xreallocarray(b->anchors, b->anchorcap, sizeof(*b->anchors));
	}
	b->anchors[b->nanchors].name = arena_strdup(b->a, name);
	b->anchors[b->nanchors].node = n;
	b->anchors[b->nanchors].size = size;
	b->nanchors++;
	if ((b->nanchors + 1) * 2 > b->ahtcap) {
		b->ahtcap = b->ahtcap ? b->ahtcap * 2 : 32;
		free(b->aht);
		b->aht = xcalloc(b->ahtcap, sizeof(*b->aht));
		for (i = 0; i < b->nanchors; i++)
			anchor_index(b, i);
	} else
		anchor_index(b, b->nanchors - 1);
}

/* Forget the anchors at a document's start (they do not cross documents). */
static void
anchors_reset(struct builder *b)
{
	if (b->nanchors > 0 && b->aht != NULL)
		memset(b->aht, 0, b->ahtcap * sizeof(*b->aht));
	b->nanchors = 0;
}

static void
grow_items(struct builder *b, struct frame *f)
{
	size_t ncap;
	void *p;

	if (f->node->n < f->cap)
		return;
	ncap = f->cap ? f->cap * 2 : 4;
	if (f->node->kind == NODE_MAP) {
		p = arena_alloc(b->a, ncap * sizeof(struct node_pair));
		if (f->node->n)
			memcpy(p, f->node->pairs, f->node->n * sizeof(struct node_pair));
		f->node->pairs = p;
	} else {
		p = arena_alloc(b->a, ncap * sizeof(struct node *));
		if (f->node->n)
			memcpy(p, f->node->items, f->node->n * sizeof(struct node *));
		f->node->items = p;
	}
	f->cap = ncap;
}

/* ---- key lookup in the map being built: linear when small, hashed after ---- */

#define HASH_FROM	16

static uint32_t
key_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void
ht_insert(struct frame *f, size_t idx)
{
	size_t i = key_hash(f->node->pairs[idx].key->str) & (f->htcap - 1);

	while (f->ht[i] != 0)
		i = (i + 1) & (f->htcap - 1);
	f->ht[i] = (uint32_t)idx + 1;
}

static void
ht_rebuild(struct frame *f)
{
	size_t i;

	f->htcap = f->htcap ? f->htcap * 2 : 64;
	free(f->ht);
	f->ht = xcalloc(f->htcap, sizeof(*f->ht));
	for (i = 0; i < f->node->n; i++)
		ht_insert(f, i);
}

/* Index of the pair with that key text, or -1. */
static long
frame_find(struct frame *f, const char *key)
{
	struct node *m = f->node;
	size_t i;
	uint32_t j;

	if (m->n < HASH_FROM) {
		for (i = 0; i < m->n; i++)
			if (strcmp(m->pairs[i].key->str, key) == 0)
				return (long)i;
		return -1;
	}
	if (f->ht == NULL || m->n * 2 >= f->htcap)
		ht_rebuild(f);
	for (i = key_hash(key) & (f->htcap - 1); (j = f->ht[i]) != 0;
	    i = (i + 1) & (f->htcap - 1))
		if (strcmp(m->pairs[j - 1].key->str, key) == 0)
			return (long)j - 1;
	return -1;
}

static void
frame_append(struct builder *b, struct frame *f, struct node *k, struct node *v)
{
	grow_items(b, f);
	f->node->pairs[f->node->n].key = k;
	f->node->pairs[f->node->n].val = v;
	f->node->n++;
	if (f->ht != NULL && f->node->n * 2 < f->htcap)
		ht_insert(f, f->node->n - 1);
	else if (f->ht != NULL) {
		/* half full: the next lookup rebuilds it twice as big */
		free(f->ht);
		f->ht = NULL;
	}
}

/* Check a "<<" value: a map or a sequence of maps. */
static bool
merge_ok(struct builder *b, struct node *v)
{
	size_t i;

	const struct loc *at = b->alias_loc ? b->alias_loc : &v->loc;

	if (v->kind == NODE_MAP)
		return true;
	if (v->kind == NODE_SEQ) {
		for (i = 0; i < v->n; i++)
			if (v->items[i]->kind != NODE_MAP)
				break;
		if (i == v->n)
			return true;
		at = &v->items[i]->loc;
	}
	diag_add(b->diags, SEV_ERROR, "yaml", at,
	    "map merge requires map or sequence of maps as the value");
	b->failed = true;
	return false;
}

/*
 * A map is complete: add the members of its merged maps that it does not
 * set itself, where the first "<<" stood.  Earlier merge sources win over
 * later ones, explicit keys over all of them (go-yaml).
 */
static void
finish_merges(struct builder *b, struct frame *f)
{
	struct node *m = f->node, *src;
	struct node_pair *np;
	size_t i, j, k, explicit_n = m->n, nadd;

	/* append the missing members (frame_find sees them as they come) */
	for (i = 0; i < f->nmerges; i++) {
		struct node *v = f->merges[i];
		size_t nsrc = v->kind == NODE_SEQ ? v->n : 1;

		for (j = 0; j < nsrc; j++) {
			src = v->kind == NODE_SEQ ? v->items[j] : v;
			for (k = 0; k < src->n; k++)
				if (frame_find(f, src->pairs[k].key->str) < 0)
					frame_append(b, f, src->pairs[k].key, src->pairs[k].val);
		}
	}
	/* then move them where the first "<<" stood */
	nadd = m->n - explicit_n;
	if (nadd > 0 && f->merge_at < explicit_n) {
		np = arena_alloc(b->a, node_cap(m->n) * sizeof(*np));
		memcpy(np, m->pairs, f->merge_at * sizeof(*np));
		memcpy(np + f->merge_at, m->pairs + explicit_n, nadd * sizeof(*np));
		memcpy(np + f->merge_at + nadd, m->pairs + f->merge_at,
		    (explicit_n - f->merge_at) * sizeof(*np));
		m->pairs = np;
	}
	free(f->merges);
	f->merges = NULL;
}

static void
add_to_parent(struct builder *b, struct node *n)
{
	struct frame *f;
	struct node *k;
	long i;

	if (b->depth == 0) {
		b->root = n;
		return;
	}
	f = &b->stack[b->depth - 1];
	if (f->node->kind == NODE_SEQ) {
		grow_items(b, f);
		f->node->items[f->node->n++] = n;
		return;
	}
	if (f->pending_key == NULL) {
		if (!node_is_scalar(n)) {
			diag_add(b->diags, SEV_ERROR, "yaml", &n->loc,
			    "mapping keys must be scalars (found a %s)",
			    n->kind == NODE_MAP ? "map" : "sequence");
			b->failed = true;
			k = node_new_string(b->a, "?");
			k->loc = n->loc;
			f->pending_key = k;
			return;
		}
		if (n->kind == NODE_NULL) {
			diag_add(b->diags, SEV_ERROR, "yaml", &n->loc,
			    "null mapping key: kubectl cannot convert it to JSON");
			b->failed = true;
		}
		if (n->kind != NODE_STRING) {
			/* keys become strings; copy, since aliased nodes are shared */
			k = arena_alloc(b->a, sizeof(*k));
			*k = *n;
			k->str = load_key_text(b->a, n);
			k->len = strlen(k->str);
			k->kind = NODE_STRING;
			n = k;
		}
		f->pending_key = n;
		return;
	}
	k = f->pending_key;
	f->pending_key = NULL;
	if (strcmp(k->str, "<<") == 0 && !k->quoted &&
	    (k->tag == NULL || strcmp(k->tag, "tag:yaml.org,2002:merge") == 0)) {
		if (!merge_ok(b, n))
			return;
		if (f->nmerges == 0)
			f->merge_at = f->node->n;
		if (f->nmerges == f->mergecap) {
			f->mergecap = f->mergecap ? f->mergecap * 2 : 2;
			f->merges = xreallocarray(f->merges, f->mergecap, sizeof(*f->merges));
		}
		f->merges[f->nmerges++] = n;
		return;
	}
	if ((i = frame_find(f, k->str)) >= 0) {
		struct node_pair *p = &f->node->pairs[i];
		struct diag *d = diag_add(b->diags, SEV_ERROR, "yaml", &k->loc,
		    "duplicate key \"%s\": mapping key already defined at line %d",
		    k->str, p->key->loc.line);

		diag_set_note(d, &p->key->loc, "first defined here");
		b->failed = true;
		return;
	}
	frame_append(b, f, k, n);
}

static bool
count_nodes(struct builder *b, size_t n, const struct loc *loc)
{
	b->nodes += n;
	if (b->nodes > b->opts->max_nodes) {
		if (b->aliases > 0)
			diag_add(b->diags, SEV_ERROR, "yaml", loc,
			    "document expands to more than %zu nodes (aliases used as an expansion bomb?)",
			    b->opts->max_nodes);
		else
			diag_add(b->diags, SEV_ERROR, "yaml", loc,
			    "document has more than %zu nodes", b->opts->max_nodes);
		b->failed = true;
		return false;
	}
	return true;
}

static bool
push(struct builder *b, struct node *n, const char *anchor)
{
	struct frame *f;

	if ((int)b->depth >= b->opts->max_depth) {
		diag_add(b->diags, SEV_ERROR, "yaml", &n->loc,
		    "nesting deeper than %d levels", b->opts->max_depth);
		b->failed = true;
		return false;
	}
	if (b->depth == b->stackcap) {
		b->stackcap = b->stackcap ? b->stackcap * 2 : 16;
		b->stack = xreallocarray(b->stack, b->stackcap, sizeof(*b->stack));
	}
	f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	f->anchor = anchor ? arena_strdup(b->a, anchor) : NULL;
	f->nodes_before = b->nodes;
	return true;
}

static void
pop(struct builder *b)
{
	struct frame f = b->stack[--b->depth];
	size_t size = b->nodes - f.nodes_before + 1;

	if (f.nmerges > 0)
		finish_merges(b, &f);
	free(f.ht);
	if (f.anchor != NULL)
		remember_anchor(b, f.anchor, f.node, size);
	add_to_parent(b, f.node);
}

/* Drop every open frame (after an error inside a document). */
static void
unwind(struct builder *b)
{
	while (b->depth > 0) {
		b->depth--;
		free(b->stack[b->depth].ht);
		free(b->stack[b->depth].merges);
	}
	b->root = NULL;
}

/* A libyaml error; returns the absolute byte offset where it was found. */
static size_t
yaml_problem(struct builder *b, const yaml_parser_t *p)
{
	struct loc l, cl;
	const char *what = p->problem ? p->problem : "syntax error";
	struct diag *d;

	if (p->error == YAML_READER_ERROR) {
		/* reader errors carry a byte offset only */
		byte_loc(b, &l, b->base + p->problem_offset);
		if (strstr(what, "UTF-8") != NULL && p->problem_value != -1)
			diag_add(b->diags, SEV_ERROR, "yaml", &l,
			    "invalid UTF-8: %s (byte 0x%02x)", what,
			    (unsigned)p->problem_value & 0xffu);
		else if (strstr(what, "UTF-8") != NULL)
			diag_add(b->diags, SEV_ERROR, "yaml", &l, "invalid UTF-8: %s", what);
		else if (p->problem_value != -1)
			diag_add(b->diags, SEV_ERROR, "yaml", &l,
			    "%s (U+%04X)", what, (unsigned)p->problem_value);
		else
			diag_add(b->diags, SEV_ERROR, "yaml", &l, "%s", what);
	} else {
		mark_loc(b, &l, &p->problem_mark);
		if (l.start < b->end && b->text[l.start] == '\t')
			diag_add(b->diags, SEV_ERROR, "yaml", &l,
			    "tab character used for indentation (YAML allows only spaces)");
		else if (p->context != NULL) {
			d = diag_add(b->diags, SEV_ERROR, "yaml", &l, "%s %s", what,
			    p->context);
			mark_loc(b, &cl, &p->context_mark);
			if (cl.line != l.line || cl.col != l.col)
				diag_set_note(d, &cl, "%s", p->context);
		} else
			diag_add(b->diags, SEV_ERROR, "yaml", &l, "%s", what);
	}
	b->failed = true;
	return l.start;
}

/*
 * JSON allows tabs between tokens; YAML 1.1 does not.  Replace them with
 * spaces (outside strings), which keeps every byte offset.
 */
static char *
json_detab(const char *data, size_t len)
{
	char *copy = NULL;
	size_t i;
	char quote = 0;
	bool esc = false;

	for (i = 0; i < len; i++) {
		char c = data[i];

		if (quote != 0) {
			/* inside a string: "..." with backslash escapes, '...' */
			if (esc)
				esc = false;
			else if (c == '\\' && quote == '"')
				esc = true;
			else if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '"' || c == '\'')
			quote = c;
		else if (c == '\t') {
			if (copy == NULL) {
				copy = xmalloc(len + 1);
				memcpy(copy, data, len);
				copy[len] = '\0';
			}
			copy[i] = ' ';
		}
	}
	return copy;
}

static bool
looks_json(const struct source *src)
{
	size_t i;

	for (i = 0; i < src->len; i++) {
		char c = src->data[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		return c == '{' || c == '[';
	}
	return false;
}

/* ---- splitting a stream into documents ---- */

#define SPLIT_DROP	(8u * 1024 * 1024)	/* give pages back every 8 MiB */
#define BATCH_BYTES	(256u * 1024)

static bool
doc_start_line(const char *p, const char *end)
{
	return end - p >= 3 && p[0] == '-' && p[1] == '-' && p[2] == '-' &&
	    (end - p == 3 || p[3] == ' ' || p[3] == '\t' || p[3] == '\n' ||
	    p[3] == '\r');
}

/* Does the line hold anything but blanks or a comment? */
static bool
content_line(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p < end && *p != '\n' && *p != '#';
}

size_t
load_split(const struct source *src, struct load_chunk **out, size_t *nul)
{
	const char *data = src->data, *end = data + src->len, *p = data, *nl, *z;
	struct load_chunk *c;
	size_t n = 0, cap = 64, checked = 0, dropped = 0;
	int line = 1;
	bool split, doc0 = false;

	*nul = SIZE_MAX;
	c = xmalloc(cap * sizeof(*c));
	c[0].off = 0;
	c[0].line = 1;
	c[0].doc = 0;
	n = 1;
	split = !looks_json(src);
	while (p < end) {
		/* NUL check a block ahead of the line scan */
		if ((size_t)(p - data) >= checked && *nul == SIZE_MAX) {
			size_t blk = src->len - checked < (1u << 20) ?
			    src->len - checked : (1u << 20);

			if ((z = memchr(data + checked, '\0', blk)) != NULL)
				*nul = (size_t)(z - data);
			checked += blk;
		}
		if (split && *p == '%' && (p == data || p[-1] == '\n')) {
			/* directives belong to the next document: keep one chunk */
			split = false;
			n = 1;
		}
		if (split && doc_start_line(p, end) && p != data) {
			if (n == cap) {
				cap *= 2;
				c = xreallocarray(c, cap, sizeof(*c));
			}
			c[n].off = (size_t)(p - data);
			c[n].line = line;
			n++;
		} else if (n == 1 && !doc0)
			doc0 = content_line(p, end);
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		p = nl + 1;
		line++;
		if ((size_t)(p - data) - dropped >= SPLIT_DROP) {
			source_drop(src, dropped, (size_t)(p - data) - dropped);
			dropped = (size_t)(p - data);
		}
	}
	if (*nul == SIZE_MAX && checked < src->len &&
	    (z = memchr(data + checked, '\0', src->len - checked)) != NULL)
		*nul = (size_t)(z - data);
	source_drop(src, dropped, src->len - dropped);
	for (size_t i = 0; i < n; i++) {
		c[i].len = (i + 1 < n ? c[i + 1].off : src->len) - c[i].off;
		if (i > 0)
			c[i].doc = (int)i - 1 + (doc0 ? 1 : 0);
	}
	*out = c;
	return n;
}

size_t
load_batch(const struct load_chunk *c, size_t n, size_t i)
{
	size_t bytes = 0;

	while (i < n && bytes < BATCH_BYTES)
		bytes += c[i++].len;
	return i;
}

int
load_binary(const struct source *src, size_t nul, struct diags *d)
{
	struct loc l;

	memset(&l, 0, sizeof(l));
	l.src = src;
	source_locate(src, nul, &l.line, &l.col);
	l.start = l.end = nul;
	if (src->len >= 2 && (((unsigned char)src->data[0] == 0xff &&
	    (unsigned char)src->data[1] == 0xfe) || ((unsigned char)src->data[0] == 0xfe &&
	    (unsigned char)src->data[1] == 0xff))) {
		l.line = l.col = 1;
		l.start = l.end = 0;
		diag_add(d, SEV_ERROR, "yaml", &l,
		    "UTF-16 text: btpctl reads UTF-8 (convert it, e.g. with iconv -f UTF-16 -t UTF-8)");
		return 1;
	}
	diag_add(d, SEV_ERROR, "yaml", &l,
	    "binary file (NUL byte at offset %zu): not YAML or JSON", nul);
	return 1;
}

int
load_empty(const struct source *src, struct diags *d)
{
	struct loc l;

	memset(&l, 0, sizeof(l));
	l.src = src;
	l.line = 1;
	l.col = 1;
	diag_add(d, SEV_ERROR, "yaml", &l, "empty input: no YAML or JSON document");
	return 1;
}

/* Index of the chunk of c[0..n) holding byte offset off. */
static size_t
chunk_of(const struct load_chunk *c, size_t n, size_t off)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (c[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The arena for the next document when the caller gave none. */
static struct arena *
own_arena(struct builder *b)
{
	if (b->spare == NULL)
		b->spare = arena_new();
	return b->spare;
}

static bool
all_ascii(const unsigned char *p, size_t n)
{
	uint64_t w, acc = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= p[i];
	return (acc & 0x8080808080808080ULL) == 0;
}

/*
 * Parse from chunk c[0] to the end of c[n-1] as one libyaml stream.
 * Returns the result code; *resume gets the chunk index to go on with
 * after a syntax error, or n.
 */
static int
parse_run(struct builder *b, const struct load_chunk *c, size_t n,
    struct arena *shared, doc_fn fn, void *ud, size_t *ndocs, size_t *resume)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct node *n_;
	struct doc doc;
	struct loc l;
	bool done = false, own = shared == NULL;
	int rc = 0, docindex = c[0].doc, r;
	long k;
	size_t i, docstart = 0, err_at;

	*resume = n;
	b->base = c[0].off;
	b->end = c[n - 1].off + c[n - 1].len;
	b->line0 = c[0].line;
	b->bom = b->end - b->base >= 3 && memcmp(b->text + b->base, "\xef\xbb\xbf", 3) == 0 ?
	    3 : 0;
	b->cur_ch = 0;
	b->cur_b = b->base + b->bom;
	b->ascii = all_ascii(b->text + b->base, b->end - b->base);
	b->a = shared;
	memset(&doc, 0, sizeof(doc));
	if (!yaml_parser_initialize(&parser))
		fatal("libyaml: out of memory");
	yaml_parser_set_input_string(&parser, b->text + b->base, b->end - b->base);

	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			err_at = yaml_problem(b, &parser);
			rc = 1;
			i = chunk_of(c, n, err_at);
			/* an error on a chunk's "---" line ends the chunk before */
			if (i > 0 && memchr(b->text + c[i].off, '\n', err_at - c[i].off) == NULL)
				*resume = i;
			else
				*resume = i + 1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			b->root = NULL;
			b->nodes = 0;
			b->aliases = 0;
			b->depth = 0;
			anchors_reset(b);
			b->failed = false;
			if (own)
				b->a = own_arena(b);
			mark_loc(b, &doc.loc, &ev.start_mark);
			docstart = doc.loc.start;
			break;
		case YAML_DOCUMENT_END_EVENT:
			mark_loc(b, &l, &ev.end_mark);
			if (l.start - docstart > b->opts->max_doc_bytes) {
				diag_add(b->diags, SEV_ERROR, "yaml", &doc.loc,
				    "document of %zu bytes exceeds the limit of %zu bytes",
				    l.start - docstart, b->opts->max_doc_bytes);
				b->failed = true;
			}
			if (b->failed) {
				rc = 1;
			} else if (b->root != NULL && !(b->root->kind == NODE_NULL &&
			    b->root->len == 0 && !b->root->quoted)) {
				(*ndocs)++;
				doc.root = b->root;
				doc.src = b->src;
				doc.index = docindex;
				doc.arena = b->a;
				if (fn != NULL && (r = fn(&doc, ud)) != 0) {
					rc = r;
					done = true;
					*resume = SIZE_MAX;
				}
			}
			if (own) {
				arena_reset(b->a);
				b->a = NULL;
			}
			docindex++;
			break;
		case YAML_SCALAR_EVENT:
			n_ = arena_alloc(b->a, sizeof(*n_));
			set_loc(b, &n_->loc, &ev.start_mark, &ev.end_mark);
			if (n_->loc.start - docstart > b->opts->max_doc_bytes)
				goto toobig;
			n_->str = arena_strndup(b->a, (const char *)ev.data.scalar.value,
			    ev.data.scalar.length);
			n_->len = ev.data.scalar.length;
			if (ev.data.scalar.tag != NULL)
				n_->tag = arena_strdup(b->a, (const char *)ev.data.scalar.tag);
			n_->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
			if (!load_resolve_scalar(n_, n_->tag, !n_->quoted)) {
				diag_add(b->diags, SEV_ERROR, "yaml", &n_->loc,
				    "cannot decode !!str `%s` as a !!%s", n_->str,
				    strrchr(n_->tag, ':') ? strrchr(n_->tag, ':') + 1 : n_->tag);
				b->failed = true;
			}
			if (n_->kind == NODE_FLOAT && !isfinite(n_->f) && b->depth > 0 &&
			    b->stack[b->depth - 1].pending_key != NULL) {
				diag_add(b->diags, SEV_ERROR, "yaml", &n_->loc,
				    "%s cannot be represented in JSON (kubectl rejects it)",
				    n_->str);
				b->failed = true;
			}
			if (!count_nodes(b, 1, &n_->loc))
				goto skipdoc;
			if (ev.data.scalar.anchor != NULL)
				remember_anchor(b, (const char *)ev.data.scalar.anchor, n_, 1);
			add_to_parent(b, n_);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			n_ = arena_alloc(b->a, sizeof(*n_));
			n_->kind = ev.type == YAML_MAPPING_START_EVENT ? NODE_MAP : NODE_SEQ;
			n_->str = "";
			set_loc(b, &n_->loc, &ev.start_mark, &ev.end_mark);
			if (n_->loc.start - docstart > b->opts->max_doc_bytes)
				goto toobig;
			if (ev.type == YAML_MAPPING_START_EVENT)
				n_->flow = ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
			else
				n_->flow = ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
			if (!count_nodes(b, 1, &n_->loc))
				goto skipdoc;
			if (!push(b, n_, (const char *)(ev.type == YAML_MAPPING_START_EVENT ?
			    ev.data.mapping_start.anchor : ev.data.sequence_start.anchor)))
				goto skipdoc;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (b->depth > 0) {
				mark_loc(b, &l, &ev.end_mark);
				b->stack[b->depth - 1].node->loc.end = l.start;
				pop(b);
			}
			break;
		case YAML_ALIAS_EVENT:
			k = anchor_find(b, (const char *)ev.data.alias.anchor);
			mark_loc(b, &l, &ev.start_mark);
			if (k < 0) {
				diag_add(b->diags, SEV_ERROR, "yaml", &l,
				    "unknown anchor '%s' referenced", ev.data.alias.anchor);
				b->failed = true;
				/* keep keys and values paired */
				n_ = node_new(b->a, NODE_NULL);
				n_->loc = l;
				add_to_parent(b, n_);
				break;
			}
			b->aliases++;
			if (!count_nodes(b, b->anchors[k].size, &l))
				goto skipdoc;
			b->alias_loc = &l;
			add_to_parent(b, b->anchors[k].node);
			b->alias_loc = NULL;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		continue;
toobig:
		diag_add(b->diags, SEV_ERROR, "yaml", &doc.loc,
		    "document exceeds the limit of %zu bytes", b->opts->max_doc_bytes);
		b->failed = true;
skipdoc:
		/* skip the rest of this document's events */
		yaml_event_delete(&ev);
		rc = 1;
		unwind(b);
		for (;;) {
			if (!yaml_parser_parse(&parser, &ev)) {
				err_at = yaml_problem(b, &parser);
				i = chunk_of(c, n, err_at);
				*resume = i + 1;
				done = true;
				break;
			}
			if (ev.type == YAML_DOCUMENT_END_EVENT || ev.type == YAML_STREAM_END_EVENT) {
				done = ev.type == YAML_STREAM_END_EVENT;
				yaml_event_delete(&ev);
				break;
			}
			yaml_event_delete(&ev);
		}
		if (own) {
			arena_reset(b->a);
			b->a = NULL;
		}
		docindex++;
	}
	unwind(b);
	if (own && b->a != NULL) {
		arena_reset(b->a);
		b->a = NULL;
	}
	yaml_parser_delete(&parser);
	return rc;
}

int
load_chunks(const struct source *src, const struct load_chunk *c, size_t n,
    struct arena *arena, const struct load_opts *opts, struct diags *diags,
    doc_fn fn, void *ud, size_t *ndocs, bool *stopped)
{
	struct builder b;
	char *detabbed = NULL;
	size_t at = 0, resume;
	int rc = 0, r;

	if (n == 0)
		return 0;
	memset(&b, 0, sizeof(b));
	b.src = src;
	b.opts = opts;
	b.diags = diags;
	b.text = (const unsigned char *)src->data;
	if (looks_json(src) && (detabbed = json_detab(src->data, src->len)) != NULL)
		b.text = (const unsigned char *)detabbed;
	if (stopped != NULL)
		*stopped = false;
	while (at < n) {
		r = parse_run(&b, c + at, n - at, arena, fn, ud, ndocs, &resume);
		if (r > rc)
			rc = r;
		if (resume == SIZE_MAX) {
			/* the callback stopped the load: its value is the result */
			rc = r;
			if (stopped != NULL)
				*stopped = true;
			break;
		}
		at += resume;
	}
	free(b.stack);
	free(b.anchors);
	free(b.aht);
	arena_free(b.spare);
	free(detabbed);
	return rc;
}

/* Parse all of src in batches; arena NULL for an arena per document. */
static int
load_all(const struct source *src, struct arena *arena,
    const struct load_opts *opts, struct diags *diags, doc_fn fn, void *ud)
{
	struct load_chunk *c;
	size_t n, nul, i, j, ndocs = 0;
	int rc = 0, r;
	bool stopped = false;

	n = load_split(src, &c, &nul);
	if (nul != SIZE_MAX) {
		free(c);
		return load_binary(src, nul, diags);
	}
	for (i = 0; i < n; i = j) {
		j = load_batch(c, n, i);
		r = load_chunks(src, c + i, j - i, arena, opts, diags, fn, ud, &ndocs,
		    &stopped);
		source_drop(src, c[i].off, c[j - 1].off + c[j - 1].len - c[i].off);
		if (stopped) {
			rc = r;
			break;
		}
		if (r > rc)
			rc = r;
	}
	free(c);
	if (ndocs == 0 && rc == 0 && !stopped && !opts->empty_ok)
		rc = load_empty(src, diags);
	return rc;
}

int
load_source(const struct source *src, struct arena *arena,
    const struct load_opts *opts, struct diags *diags, doc_fn fn, void *ud)
{
	return load_all(src, arena, opts, diags, fn, ud);
}

int
load_source_each(const struct source *src, const struct load_opts *opts,
    struct diags *diags, doc_fn fn, void *ud)
{
	return load_all(src, NULL, opts, diags, fn, ud);
}

static int
first_doc(struct doc *d, void *ud)
{
	*(struct node **)ud = d->root;
	return 2;
}

struct node *
load_string(struct arena *a, const char *name, const char *text, struct diags *d)
{
	struct source *src;
	struct load_opts o;
	struct node *root = NULL;
	size_t len = strlen(text), i, n = 1;

	load_opts_init(&o);
	o.empty_ok = true;
	/* the source lives in the arena, as long as the nodes that point to it */
	src = arena_alloc(a, sizeof(*src));
	src->name = arena_strdup(a, name);
	src->data = arena_strndup(a, text, len);
	src->len = len;
	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			n++;
	src->lines = arena_alloc(a, n * sizeof(size_t));
	src->nlines = 0;
	src->lines[src->nlines++] = 0;
	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			src->lines[src->nlines++] = i + 1;
	load_source(src, a, &o, d, first_doc, &root);
	return root;
}

/* ---- inputs ---- */

void
inputs_init(struct inputs *in)
{
	memset(in, 0, sizeof(*in));
}

void
inputs_release(struct inputs *in)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		source_free(in->v[i]);
	free(in->v);
	memset(in, 0, sizeof(*in));
}

static void
inputs_push(struct inputs *in, struct source *s)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 16;
		in->v = xreallocarray(in->v, in->cap, sizeof(*in->v));
	}
	in->v[in->n++] = s;
}

void
inputs_add_bytes(struct inputs *in, const char *name, char *data, size_t len)
{
	inputs_push(in, source_new(name, data, len, 1));
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool
load_yaml_name(const char *name)
{
	return str_has_suffix(name, ".yaml") || str_has_suffix(name, ".yml") ||
	    str_has_suffix(name, ".json");
}

/* Directories walked so far, by device and inode. */
struct dirset {
	struct {
		dev_t	 dev;
		ino_t	 ino;
	}	*v;
	size_t	 n;
};

static int
add_dir(struct inputs *in, const char *path, const struct load_opts *o,
    struct diags *d, int depth, struct dirset *seen)
{
	DIR *dir;
	struct dirent *de;
	char **names = NULL, *full;
	size_t n = 0, cap = 0, i;
	struct stat st;
	int rc = 0, r;

	if (depth > 64)
		return 0;
	/* a directory reached again (symbolic links) is walked once */
	if (stat(path, &st) == 0) {
		for (i = 0; i < seen->n; i++)
			if (seen->v[i].dev == st.st_dev && seen->v[i].ino == st.st_ino)
				return 0;
		seen->v = xreallocarray(seen->v, seen->n + 1, sizeof(*seen->v));
		seen->v[seen->n].dev = st.st_dev;
		seen->v[seen->n].ino = st.st_ino;
		seen->n++;
	}
	if ((dir = opendir(path)) == NULL) {
		diag_add_file(d, SEV_ERROR, "io", path, "cannot read directory: %s",
		    strerror(errno));
		return 3;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), strp_cmp);
	for (i = 0; i < n; i++) {
		full = str_has_suffix(path, "/") ? xasprintf("%s%s", path, names[i]) :
		    xasprintf("%s/%s", path, names[i]);
		if (stat(full, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				r = add_dir(in, full, o, d, depth + 1, seen);
			else if (S_ISREG(st.st_mode) &&
			    (o->dir_filter ? o->dir_filter(names[i]) :
			    load_yaml_name(names[i])))
				r = inputs_add(in, full, o, d);
			else
				r = 0;
			if (r > rc)
				rc = r;
		}
		free(full);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
inputs_add(struct inputs *in, const char *path, const struct load_opts *o,
    struct diags *d)
{
	struct stat st;
	struct source *src;
	char *data;
	size_t len;
	int err;

	if (str_has_prefix(path, "http://") || str_has_prefix(path, "https://")) {
		struct fetch_opts fo;

		memset(&fo, 0, sizeof(fo));
		fo.offline = o->offline;
		if (fetch_url_opts(path, &fo, &data, &len, d) != 0)
			return 3;
		inputs_add_bytes(in, path, data, len);
		return 0;
	}
	if (strcmp(path, "-") == 0) {
		if ((err = source_stdin(&src)) != 0) {
			diag_add_file(d, SEV_ERROR, "io", "<stdin>", "cannot read: %s",
			    strerror(err));
			return 3;
		}
		inputs_push(in, src);
		return 0;
	}
	if (stat(path, &st) != 0) {
		diag_add_file(d, SEV_ERROR, "io", path, "cannot open: %s", strerror(errno));
		return 3;
	}
	if (S_ISDIR(st.st_mode)) {
		struct dirset seen = { NULL, 0 };

		err = add_dir(in, path, o, d, 0, &seen);
		free(seen.v);
		return err;
	}
	if (S_ISREG(st.st_mode))
		err = source_map(path, &src);
	else {
		/* a FIFO or a device: read what comes, in bounded memory */
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		err = fd < 0 ? errno : source_fd(fd, path, &src);
		if (fd >= 0)
			close(fd);
	}
	if (err != 0) {
		diag_add_file(d, SEV_ERROR, "io", path, "cannot read: %s", strerror(err));
		return 3;
	}
	inputs_push(in, src);
	return 0;
}

void
docset_init(struct docset *ds)
{
	memset(ds, 0, sizeof(*ds));
	ds->arena = arena_new();
}

void
docset_release(struct docset *ds)
{
	arena_free(ds->arena);
	free(ds->v);
	memset(ds, 0, sizeof(*ds));
}

static int
collect_doc(struct doc *doc, void *ud)
{
	struct docset *ds = ud;

	if (ds->n == ds->cap) {
		ds->cap = ds->cap ? ds->cap * 2 : 64;
		ds->v = xreallocarray(ds->v, ds->cap, sizeof(*ds->v));
	}
	ds->v[ds->n++] = *doc;
	return 0;
}

int
docset_load(struct docset *ds, const struct inputs *in,
    const struct load_opts *o, struct diags *d)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < in->n; i++)
		if (load_source(in->v[i], ds->arena, o, d, collect_doc, ds) != 0)
			rc = 1;
	return rc;
}
