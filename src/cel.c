/*
 * cel.c: the CEL compiler: lexer, recursive-descent parser following the
 * CEL grammar (cel-spec), macro expansion (has, all, exists, exists_one,
 * map, filter), name and function resolution, constant folding of literal
 * lists and maps, and compilation of literal regular expressions.  The
 * result is an immutable tree (cel_impl.h) that cel_eval.c walks.
 *
 * Every construct the evaluator does not support is refused here with a
 * message naming it, so a rule never passes silently.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cel.h"
#include "cel_impl.h"
#include "util.h"

#define MAX_DEPTH	200	/* nesting of the parse */
#define MAX_HEIGHT	1000	/* height of the tree (chains like a+b+c...) */

enum tok {
	T_EOF, T_IDENT, T_INT, T_UINT, T_DOUBLE, T_STRING, T_BYTES,
	T_TRUE, T_FALSE, T_NULL, T_IN,
	T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_LBRACE, T_RBRACE,
	T_DOT, T_COMMA, T_COLON, T_QUESTION, T_NOT, T_MINUS, T_PLUS, T_STAR,
	T_SLASH, T_PERCENT, T_LT, T_LE, T_GT, T_GE, T_EQ, T_NE, T_AND, T_OR,
};

struct parser {
	const char	*src;
	size_t		 len;
	size_t		 pos;		/* next byte to lex */
	struct arena	*arena;
	struct cel_program *prog;
	/* the current token */
	enum tok	 tok;
	size_t		 tpos;		/* its offset */
	const char	*text;		/* identifiers, strings (decoded) */
	size_t		 tlen;
	int64_t		 ival;
	uint64_t	 uval;
	double		 dval;
	/* comprehension variables in scope, innermost last */
	const char	*scope[CEL_MAX_SLOTS];
	size_t		 nscope;
	int		 depth;
	char		*err;		/* first error (heap) */
};

static const char *const reserved[] = {
	"as", "break", "const", "continue", "else", "for", "function", "if",
	"import", "let", "loop", "package", "namespace", "return", "var",
	"void", "while", NULL,
};

static void	 next(struct parser *);
static void	 perr(struct parser *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static struct cel_ast *parse_expr(struct parser *);

static void
perr(struct parser *p, size_t pos, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;
	size_t i;
	int line = 1, col = 1;

	if (p->err != NULL)
		return;
	for (i = 0; i < pos && i < p->len; i++) {
		if (p->src[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)p->src[i] & 0xc0) != 0x80)
			col++;
	}
	sb_init(&sb);
	sb_printf(&sb, "%d:%d: ", line, col);
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	p->err = sb_detach(&sb);
	/* stop the parse: the lexer reports end of input from now on */
	p->pos = p->len;
	p->tok = T_EOF;
}

static bool
is_reserved(const char *s, size_t n)
{
	size_t i;

	for (i = 0; reserved[i] != NULL; i++)
		if (strlen(reserved[i]) == n && memcmp(reserved[i], s, n) == 0)
			return true;
	return false;
}

/* ---- lexer ---- */

static void
put_utf8(struct strbuf *sb, uint32_t c)
{
	char b[4];

	if (c < 0x80) {
		sb_addc(sb, (char)c);
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3f));
		sb_add(sb, b, 2);
	} else if (c < 0x10000) {
		b[0] = (char)(0xe0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		sb_add(sb, b, 3);
	} else {
		b[0] = (char)(0xf0 | (c >> 18));
		b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[3] = (char)(0x80 | (c & 0x3f));
		sb_add(sb, b, 4);
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * One escape sequence after the backslash at p->pos; appends its value.
 * In bytes literals \x and octal escapes are raw bytes.
 */
static bool
lex_escape(struct parser *p, struct strbuf *sb, bool bytes)
{
	size_t start = p->pos - 1, i, nd;
	uint32_t c = 0;
	char e;
	int h;

	if (p->pos >= p->len)
		goto bad;
	e = p->src[p->pos++];
	switch (e) {
	case 'a': sb_addc(sb, '\a'); return true;
	case 'b': sb_addc(sb, '\b'); return true;
	case 'f': sb_addc(sb, '\f'); return true;
	case 'n': sb_addc(sb, '\n'); return true;
	case 'r': sb_addc(sb, '\r'); return true;
	case 't': sb_addc(sb, '\t'); return true;
	case 'v': sb_addc(sb, '\v'); return true;
	case '\\': case '\'': case '"': case '`': case '?':
		sb_addc(sb, e);
		return true;
	case 'x': case 'X': case 'u': case 'U':
		nd = (e == 'x' || e == 'X') ? 2 : e == 'u' ? 4 : 8;
		for (i = 0; i < nd; i++) {
			if (p->pos >= p->len ||
			    (h = hexval(p->src[p->pos])) < 0)
				goto bad;
			c = c * 16 + (uint32_t)h;
			p->pos++;
		}
		if (nd == 2 && bytes) {
			sb_addc(sb, (char)c);
			return true;
		}
		if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			goto bad;
		put_utf8(sb, c);
		return true;
	case '0': case '1': case '2': case '3':
		c = (uint32_t)(e - '0');
		for (i = 0; i < 2; i++) {
			if (p->pos >= p->len || p->src[p->pos] < '0' ||
			    p->src[p->pos] > '7')
				goto bad;
			c = c * 8 + (uint32_t)(p->src[p->pos++] - '0');
		}
		if (bytes)
			sb_addc(sb, (char)c);
		else
			put_utf8(sb, c);
		return true;
	default:
		break;
	}
bad:
	perr(p, start, "syntax error: invalid escape sequence in string literal");
	return false;
}

/* A string or bytes literal; p->pos is at the opening quote. */
static void
lex_string(struct parser *p, bool raw, bool bytes)
{
	struct strbuf sb;
	char q = p->src[p->pos];
	bool triple;
	size_t start = p->tpos;

	triple = p->pos + 2 < p->len && p->src[p->pos + 1] == q &&
	    p->src[p->pos + 2] == q;
	p->pos += triple ? 3 : 1;
	sb_init(&sb);
	for (;;) {
		char c;

		if (p->pos >= p->len) {
			perr(p, start, "syntax error: unterminated string literal");
			sb_release(&sb);
			return;
		}
		c = p->src[p->pos];
		if (c == q && (!triple || (p->pos + 2 < p->len &&
		    p->src[p->pos + 1] == q && p->src[p->pos + 2] == q))) {
			p->pos += triple ? 3 : 1;
			break;
		}
		if (!triple && (c == '\n' || c == '\r')) {
			perr(p, start, "syntax error: newline in string literal");
			sb_release(&sb);
			return;
		}
		p->pos++;
		if (c == '\\' && !raw) {
			if (!lex_escape(p, &sb, bytes)) {
				sb_release(&sb);
				return;
			}
			continue;
		}
		sb_addc(&sb, c);
	}
	p->text = arena_strndup(p->arena, sb.buf, sb.len);
	p->tlen = sb.len;
	p->tok = bytes ? T_BYTES : T_STRING;
	sb_release(&sb);
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static void
lex_number(struct parser *p)
{
	const char *s = p->src;
	size_t i = p->pos, start = p->pos;
	bool isfloat = false;
	char buf[128];
	char *end;

	if (s[i] == '0' && i + 1 < p->len && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		uint64_t v = 0;
		bool over = false;
		int h;

		i += 2;
		if (i >= p->len || hexval(s[i]) < 0) {
			perr(p, start, "syntax error: invalid hex literal");
			return;
		}
		for (; i < p->len && (h = hexval(s[i])) >= 0; i++) {
			if (v > UINT64_MAX / 16)
				over = true;
			v = v * 16 + (uint64_t)h;
		}
		p->pos = i;
		if (i < p->len && (s[i] == 'u' || s[i] == 'U')) {
			p->pos++;
			p->tok = T_UINT;
			p->uval = v;
			if (over)
				perr(p, start, "invalid uint literal");
			return;
		}
		if (over || v > (uint64_t)INT64_MAX + 1) {
			perr(p, start, "invalid int literal");
			return;
		}
		p->tok = T_INT;
		p->uval = v;	/* the sign is applied by the parser */
		return;
	}
	while (i < p->len && is_digit(s[i]))
		i++;
	if (i + 1 < p->len && s[i] == '.' && is_digit(s[i + 1])) {
		isfloat = true;
		i++;
		while (i < p->len && is_digit(s[i]))
			i++;
	}
	if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;

		if (j < p->len && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j < p->len && is_digit(s[j])) {
			isfloat = true;
			i = j;
			while (i < p->len && is_digit(s[i]))
				i++;
		}
	}
	if (i - start >= sizeof(buf)) {
		perr(p, start, "syntax error: number literal too long");
		return;
	}
	memcpy(buf, s + start, i - start);
	buf[i - start] = '\0';
	p->pos = i;
	errno = 0;
	if (isfloat) {
		p->tok = T_DOUBLE;
		p->dval = strtod(buf, &end);
		return;
	}
	p->uval = strtoull(buf, &end, 10);
	if (i < p->len && (s[i] == 'u' || s[i] == 'U')) {
		p->pos++;
		p->tok = T_UINT;
		if (errno == ERANGE)
			perr(p, start, "invalid uint literal");
		return;
	}
	p->tok = T_INT;
	if (errno == ERANGE || p->uval > (uint64_t)INT64_MAX + 1)
		perr(p, start, "invalid int literal");
}

static void
next(struct parser *p)
{
	const char *s = p->src;
	char c, d;

	if (p->err != NULL) {
		p->tok = T_EOF;
		return;
	}
	for (;;) {
		while (p->pos < p->len && strchr(" \t\n\r\f\v", s[p->pos]) != NULL &&
		    s[p->pos] != '\0')
			p->pos++;
		if (p->pos + 1 < p->len && s[p->pos] == '/' && s[p->pos + 1] == '/') {
			while (p->pos < p->len && s[p->pos] != '\n')
				p->pos++;
			continue;
		}
		break;
	}
	p->tpos = p->pos;
	if (p->pos >= p->len) {
		p->tok = T_EOF;
		return;
	}
	c = s[p->pos];
	d = p->pos + 1 < p->len ? s[p->pos + 1] : '\0';
	if (is_digit(c) || (c == '.' && is_digit(d))) {
		lex_number(p);
		return;
	}
	if (c == '\'' || c == '"') {
		lex_string(p, false, false);
		return;
	}
	if (is_ident_start(c)) {
		size_t i = p->pos;
		bool raw = c == 'r' || c == 'R', bytes = c == 'b' || c == 'B';

		/* string prefixes: r, b, rb, br in either case */
		if ((raw || bytes) && (d == '\'' || d == '"')) {
			p->pos++;
			lex_string(p, raw, bytes);
			return;
		}
		if (((raw && (d == 'b' || d == 'B')) ||
		    (bytes && (d == 'r' || d == 'R'))) && p->pos + 2 < p->len &&
		    (s[p->pos + 2] == '\'' || s[p->pos + 2] == '"')) {
			p->pos += 2;
			lex_string(p, true, true);
			return;
		}
		i = p->pos;
		while (i < p->len && (is_ident_start(s[i]) || is_digit(s[i])))
			i++;
		p->text = s + p->pos;
		p->tlen = i - p->pos;
		p->pos = i;
		p->tok = T_IDENT;
		if (p->tlen == 4 && memcmp(p->text, "true", 4) == 0)
			p->tok = T_TRUE;
		else if (p->tlen == 5 && memcmp(p->text, "false", 5) == 0)
			p->tok = T_FALSE;
		else if (p->tlen == 4 && memcmp(p->text, "null", 4) == 0)
			p->tok = T_NULL;
		else if (p->tlen == 2 && memcmp(p->text, "in", 2) == 0)
			p->tok = T_IN;
		return;
	}
	p->pos++;
	switch (c) {
	case '(': p->tok = T_LPAREN; return;
	case ')': p->tok = T_RPAREN; return;
	case '[': p->tok = T_LBRACKET; return;
	case ']': p->tok = T_RBRACKET; return;
	case '{': p->tok = T_LBRACE; return;
	case '}': p->tok = T_RBRACE; return;
	case '.': p->tok = T_DOT; return;
	case ',': p->tok = T_COMMA; return;
	case ':': p->tok = T_COLON; return;
	case '?': p->tok = T_QUESTION; return;
	case '+': p->tok = T_PLUS; return;
	case '-': p->tok = T_MINUS; return;
	case '*': p->tok = T_STAR; return;
	case '/': p->tok = T_SLASH; return;
	case '%': p->tok = T_PERCENT; return;
	case '!':
		if (d == '=') {
			p->pos++;
			p->tok = T_NE;
		} else
			p->tok = T_NOT;
		return;
	case '<':
	case '>':
		if (d == '=') {
			p->pos++;
			p->tok = c == '<' ? T_LE : T_GE;
		} else
			p->tok = c == '<' ? T_LT : T_GT;
		return;
	case '=':
		if (d == '=') {
			p->pos++;
			p->tok = T_EQ;
			return;
		}
		break;
	case '&':
		if (d == '&') {
			p->pos++;
			p->tok = T_AND;
			return;
		}
		break;
	case '|':
		if (d == '|') {
			p->pos++;
			p->tok = T_OR;
			return;
		}
		break;
	default:
		break;
	}
	perr(p, p->tpos, "syntax error: unexpected character '%c'",
	    (unsigned char)c >= 0x20 && (unsigned char)c < 0x7f ? c : '?');
}

/* ---- tree construction ---- */

static struct cel_ast *
mk(struct parser *p, enum cel_op op, size_t pos)
{
	struct cel_ast *e = arena_alloc(p->arena, sizeof(*e));

	e->op = op;
	e->pos = pos;
	return e;
}

/* Record e's height once its children are set; refuse trees too tall. */
static struct cel_ast *
seal(struct parser *p, struct cel_ast *e)
{
	const struct cel_ast *kids[3] = { e->a, e->b, e->c };
	int h = 0;
	size_t i;

	for (i = 0; i < 3; i++)
		if (kids[i] != NULL && kids[i]->height > h)
			h = kids[i]->height;
	for (i = 0; i < e->nargs; i++)
		if (e->args[i] != NULL && e->args[i]->height > h)
			h = e->args[i]->height;
	e->height = h + 1;
	if (e->height > MAX_HEIGHT)
		perr(p, e->pos, "expression nested too deeply");
	return e;
}

static struct cel_ast *
mk2(struct parser *p, enum cel_op op, size_t pos, struct cel_ast *a,
    struct cel_ast *b)
{
	struct cel_ast *e = mk(p, op, pos);

	e->a = a;
	e->b = b;
	return seal(p, e);
}

static bool
expect(struct parser *p, enum tok t, const char *what)
{
	if (p->tok != t) {
		perr(p, p->tpos, "syntax error: expected %s", what);
		return false;
	}
	next(p);
	return true;
}

/* Arguments up to the closing parenthesis or bracket. */
static struct cel_ast **
parse_args(struct parser *p, enum tok close, size_t *n, bool pairs)
{
	struct cel_ast **v = NULL, **out;
	size_t cnt = 0, i;

	while (p->tok != close && p->err == NULL) {
		v = xreallocarray(v, cnt + 2, sizeof(*v));
		v[cnt++] = parse_expr(p);
		if (pairs) {
			if (!expect(p, T_COLON, "':'"))
				break;
			v[cnt++] = parse_expr(p);
		}
		if (p->tok != T_COMMA)
			break;
		next(p);
	}
	if (p->err == NULL)
		expect(p, close, close == T_RPAREN ? "')'" :
		    close == T_RBRACKET ? "']'" : "'}'");
	out = arena_alloc(p->arena, (cnt ? cnt : 1) * sizeof(*out));
	for (i = 0; i < cnt; i++)
		out[i] = v[i];
	free(v);
	*n = cnt;
	return out;
}

/*
 * Kubernetes escapes property names that are not CEL identifiers:
 * __underscores__ is "__", __dot__ ".", __dash__ "-", __slash__ "/", and
 * a reserved word w is written __w__.
 */
static const char *
unescape_field(struct parser *p, const char *s, size_t n, size_t *outn)
{
	static const struct {
		const char *esc, *raw;
	} tab[] = {
		{ "__underscores__", "__" }, { "__dot__", "." },
		{ "__dash__", "-" }, { "__slash__", "/" },
	};
	struct strbuf sb;
	const char *r;
	size_t i, k;

	if (n > 4 && s[0] == '_' && s[1] == '_' && s[n - 1] == '_' &&
	    s[n - 2] == '_' && (is_reserved(s + 2, n - 4) ||
	    (n - 4 == 4 && (memcmp(s + 2, "true", 4) == 0 ||
	    memcmp(s + 2, "null", 4) == 0)) ||
	    (n - 4 == 5 && memcmp(s + 2, "false", 5) == 0) ||
	    (n - 4 == 2 && memcmp(s + 2, "in", 2) == 0))) {
		*outn = n - 4;
		return arena_strndup(p->arena, s + 2, n - 4);
	}
	sb_init(&sb);
	for (i = 0; i < n; ) {
		for (k = 0; k < nitems(tab); k++) {
			size_t el = strlen(tab[k].esc);

			if (n - i >= el && memcmp(s + i, tab[k].esc, el) == 0)
				break;
		}
		if (k < nitems(tab)) {
			sb_adds(&sb, tab[k].raw);
			i += strlen(tab[k].esc);
		} else
			sb_addc(&sb, s[i++]);
	}
	r = arena_strndup(p->arena, sb.buf, sb.len);
	*outn = sb.len;
	sb_release(&sb);
	return r;
}

static const struct fnspec {
	const char	*name;
	enum cel_fn	 fn;
	int		 gmin, gmax;	/* arguments as f(...); -1 = no */
	int		 mmin, mmax;	/* arguments as x.f(...); -1 = no */
} fns[] = {
	{ "size", FN_SIZE, 1, 1, 0, 0 },
	{ "matches", FN_MATCHES, 2, 2, 1, 1 },
	{ "startsWith", FN_STARTS_WITH, -1, -1, 1, 1 },
	{ "endsWith", FN_ENDS_WITH, -1, -1, 1, 1 },
	{ "contains", FN_CONTAINS, -1, -1, 1, 1 },
	{ "upperAscii", FN_UPPER_ASCII, -1, -1, 0, 0 },
	{ "lowerAscii", FN_LOWER_ASCII, -1, -1, 0, 0 },
	{ "trim", FN_TRIM, -1, -1, 0, 0 },
	{ "split", FN_SPLIT, -1, -1, 1, 2 },
	{ "join", FN_JOIN, -1, -1, 0, 1 },
	{ "indexOf", FN_INDEX_OF, -1, -1, 1, 2 },
	{ "lastIndexOf", FN_LAST_INDEX_OF, -1, -1, 1, 2 },
	{ "replace", FN_REPLACE, -1, -1, 2, 3 },
	{ "substring", FN_SUBSTRING, -1, -1, 1, 2 },
	{ "charAt", FN_CHAR_AT, -1, -1, 1, 1 },
	{ "int", FN_INT, 1, 1, -1, -1 },
	{ "uint", FN_UINT, 1, 1, -1, -1 },
	{ "double", FN_DOUBLE, 1, 1, -1, -1 },
	{ "string", FN_STRING, 1, 1, -1, -1 },
	{ "bytes", FN_BYTES, 1, 1, -1, -1 },
	{ "bool", FN_BOOL, 1, 1, -1, -1 },
	{ "duration", FN_DURATION, 1, 1, -1, -1 },
	{ "dyn", FN_DYN, 1, 1, -1, -1 },
	{ "isSorted", FN_IS_SORTED, -1, -1, 0, 0 },
	{ "sum", FN_SUM, -1, -1, 0, 0 },
	{ "min", FN_MIN, -1, -1, 0, 0 },
	{ "max", FN_MAX, -1, -1, 0, 0 },
	{ "getHours", FN_GET_HOURS, -1, -1, 0, 0 },
	{ "getMinutes", FN_GET_MINUTES, -1, -1, 0, 0 },
	{ "getSeconds", FN_GET_SECONDS, -1, -1, 0, 0 },
	{ "getMilliseconds", FN_GET_MILLISECONDS, -1, -1, 0, 0 },
};

/* Known to CEL or Kubernetes but not supported here: refused by name. */
static const char *const unsupported_fns[] = {
	"timestamp", "type", "getFullYear", "getMonth", "getDate",
	"getDayOfMonth", "getDayOfWeek", "getDayOfYear", "url", "isURL",
	"quantity", "isQuantity", "ip", "isIP", "cidr", "isCIDR", "format",
	"quote", "reverse", "optional", "base64", "math", "sets", "strings",
	"lists", "regex", "find", "findAll", "authorizer", "semver",
	"isSemver", "transformList", "transformMap",
	"transformMapEntry", "sort", "sortBy", "distinct", "flatten", "slice",
	"first", "last", "range", "bind", "block", "encode", "decode",
	NULL,
};

static bool
is_literal_string(const struct cel_ast *e)
{
	return e->op == OP_LIT && e->lit.k == CV_STRING;
}

/* A macro: target.name(var, ...) with the comprehension body parsed here. */
static struct cel_ast *
parse_macro(struct parser *p, struct cel_ast *target, const char *name,
    size_t pos)
{
	struct cel_ast *e;
	const char *var;
	size_t varlen;
	enum cel_op op;

	if (strcmp(name, "all") == 0)
		op = OP_ALL;
	else if (strcmp(name, "exists") == 0)
		op = OP_EXISTS;
	else if (strcmp(name, "exists_one") == 0 || strcmp(name, "existsOne") == 0)
		op = OP_EXISTS_ONE;
	else if (strcmp(name, "map") == 0)
		op = OP_MAPM;
	else
		op = OP_FILTER;
	/* p->tok is the first token after '(' */
	if (p->tok != T_IDENT) {
		perr(p, p->tpos, "%s() macro: the first argument must be a simple name",
		    name);
		return NULL;
	}
	var = p->text;
	varlen = p->tlen;
	if (is_reserved(var, varlen)) {
		perr(p, p->tpos, "reserved identifier: %.*s", (int)varlen, var);
		return NULL;
	}
	if (p->nscope >= CEL_MAX_SLOTS) {
		perr(p, p->tpos, "too many nested comprehensions (at most %d)",
		    CEL_MAX_SLOTS);
		return NULL;
	}
	next(p);
	if (!expect(p, T_COMMA, "',' after the macro variable"))
		return NULL;
	if (p->tok == T_IDENT) {
		size_t i = p->pos;

		/* x.all(i, v, pred): a name and a comma again */
		while (i < p->len && strchr(" \t\r\n", p->src[i]) != NULL)
			i++;
		if (i < p->len && p->src[i] == ',' && op != OP_MAPM) {
			perr(p, p->tpos, "%s() macro: two-variable comprehensions "
			    "are not supported", name);
			return NULL;
		}
	}
	e = mk(p, op, pos);
	e->a = target;
	e->slot = (int)p->nscope;
	p->scope[p->nscope++] = arena_strndup(p->arena, var, varlen);
	e->b = parse_expr(p);
	if (op == OP_MAPM && p->tok == T_COMMA) {
		/* map(x, filter, transform) */
		next(p);
		e->c = e->b;
		e->b = parse_expr(p);
	}
	p->nscope--;
	seal(p, e);
	if (p->err == NULL && p->tok == T_COMMA) {
		perr(p, p->tpos, op == OP_MAPM ? "map() macro: too many arguments" :
		    "%s() macro: two-variable comprehensions are not supported",
		    name);
		return NULL;
	}
	if (!expect(p, T_RPAREN, "')'"))
		return NULL;
	return e;
}

/* A call of a function, global (target NULL) or as a method of target. */
static struct cel_ast *
parse_call(struct parser *p, struct cel_ast *target, const char *name,
    size_t namelen, size_t pos)
{
	struct cel_ast **args, *e;
	size_t n, i, k;
	char fname[64];
	int lo, hi;

	if (namelen >= sizeof(fname)) {
		perr(p, pos, "undeclared reference to '%.*s'", (int)namelen, name);
		return NULL;
	}
	memcpy(fname, name, namelen);
	fname[namelen] = '\0';
	/* p->tok is '(' */
	next(p);
	if (target != NULL && (strcmp(fname, "all") == 0 ||
	    strcmp(fname, "exists") == 0 || strcmp(fname, "exists_one") == 0 ||
	    strcmp(fname, "existsOne") == 0 ||
	    strcmp(fname, "map") == 0 || strcmp(fname, "filter") == 0))
		return parse_macro(p, target, fname, pos);
	if (target == NULL && strcmp(fname, "has") == 0) {
		struct cel_ast *arg = parse_expr(p);

		if (p->err != NULL)
			return NULL;
		if (arg->op != OP_SELECT) {
			perr(p, arg->pos, "invalid argument to has() macro");
			return NULL;
		}
		if (!expect(p, T_RPAREN, "')'"))
			return NULL;
		arg->op = OP_HAS;
		return arg;
	}
	args = parse_args(p, T_RPAREN, &n, false);
	if (p->err != NULL)
		return NULL;
	for (k = 0; k < nitems(fns); k++)
		if (strcmp(fns[k].name, fname) == 0)
			break;
	if (k == nitems(fns)) {
		for (i = 0; unsupported_fns[i] != NULL; i++)
			if (strcmp(unsupported_fns[i], fname) == 0) {
				perr(p, pos, "unsupported function '%s'", fname);
				return NULL;
			}
		perr(p, pos, "undeclared reference to '%s'", fname);
		return NULL;
	}
	lo = target ? fns[k].mmin : fns[k].gmin;
	hi = target ? fns[k].mmax : fns[k].gmax;
	if (lo < 0 || (int)n < lo || (int)n > hi) {
		perr(p, pos, "found no matching overload for '%s' with %zu argument%s%s",
		    fname, n, n == 1 ? "" : "s",
		    target ? " as a method" : " as a function");
		return NULL;
	}
	e = mk(p, OP_CALL, pos);
	e->fn = fns[k].fn;
	e->method = target != NULL;
	e->nargs = n + (target != NULL);
	e->args = arena_alloc(p->arena, e->nargs * sizeof(*e->args));
	i = 0;
	if (target != NULL)
		e->args[i++] = target;
	for (k = 0; k < n; k++)
		e->args[i++] = args[k];
	if (e->fn == FN_MATCHES && is_literal_string(e->args[1])) {
		char msg[256];
		pcre2_code *re;

		re = cel_regex_compile(e->args[1]->lit.s.p, e->args[1]->lit.s.n,
		    msg, sizeof(msg));
		if (re == NULL) {
			perr(p, e->args[1]->pos, "invalid regular expression: %s", msg);
			return NULL;
		}
		p->prog->res = xreallocarray(p->prog->res, p->prog->nres + 1,
		    sizeof(*p->prog->res));
		p->prog->res[p->prog->nres++] = re;
		e->re = re;
	}
	return seal(p, e);
}

/* Fold a list or map literal whose elements are all constants. */
static void
fold_literal(struct parser *p, struct cel_ast *e)
{
	struct cel_vec *vec;
	size_t i, n = e->nargs;

	for (i = 0; i < n; i++)
		if (e->args[i]->op != OP_LIT)
			return;
	vec = arena_alloc(p->arena, sizeof(*vec));
	vec->v = arena_alloc(p->arena, (n ? n : 1) * sizeof(*vec->v));
	if (e->op == OP_LIST) {
		vec->n = n;
		for (i = 0; i < n; i++)
			vec->v[i] = e->args[i]->lit;
		e->lit.k = CV_LIST;
	} else {
		vec->n = n / 2;
		for (i = 0; i < n / 2; i++) {
			vec->v[i] = e->args[2 * i]->lit;
			vec->v[n / 2 + i] = e->args[2 * i + 1]->lit;
		}
		/* repeated keys are a runtime error: leave them to the evaluator */
		for (i = 0; i < n / 2; i++) {
			size_t j;

			for (j = 0; j < i; j++)
				if (vec->v[i].k == vec->v[j].k &&
				    vec->v[i].k == CV_STRING &&
				    vec->v[i].s.n == vec->v[j].s.n &&
				    memcmp(vec->v[i].s.p, vec->v[j].s.p,
				    vec->v[i].s.n) == 0)
					return;
		}
		e->lit.k = CV_MAP;
	}
	e->lit.c.vec = vec;
	e->op = OP_LIT;
}

static struct cel_ast *
parse_primary(struct parser *p)
{
	struct cel_ast *e;
	size_t pos = p->tpos, i;

	switch (p->tok) {
	case T_INT:
		if (p->uval > (uint64_t)INT64_MAX) {
			perr(p, pos, "invalid int literal");
			return NULL;
		}
		e = mk(p, OP_LIT, pos);
		e->lit.k = CV_INT;
		e->lit.i = (int64_t)p->uval;
		next(p);
		return e;
	case T_UINT:
		e = mk(p, OP_LIT, pos);
		e->lit.k = CV_UINT;
		e->lit.u = p->uval;
		next(p);
		return e;
	case T_DOUBLE:
		e = mk(p, OP_LIT, pos);
		e->lit.k = CV_DOUBLE;
		e->lit.d = p->dval;
		next(p);
		return e;
	case T_STRING:
	case T_BYTES:
		e = mk(p, OP_LIT, pos);
		e->lit.k = p->tok == T_STRING ? CV_STRING : CV_BYTES;
		e->lit.s.p = p->text;
		e->lit.s.n = p->tlen;
		next(p);
		return e;
	case T_TRUE:
	case T_FALSE:
		e = mk(p, OP_LIT, pos);
		e->lit.k = CV_BOOL;
		e->lit.b = p->tok == T_TRUE;
		next(p);
		return e;
	case T_NULL:
		e = mk(p, OP_LIT, pos);
		e->lit.k = CV_NULL;
		next(p);
		return e;
	case T_LPAREN:
		next(p);
		e = parse_expr(p);
		expect(p, T_RPAREN, "')'");
		return e;
	case T_LBRACKET:
		next(p);
		e = mk(p, OP_LIST, pos);
		e->args = parse_args(p, T_RBRACKET, &e->nargs, false);
		seal(p, e);
		if (p->err == NULL)
			fold_literal(p, e);
		return e;
	case T_LBRACE:
		next(p);
		e = mk(p, OP_MAP, pos);
		e->args = parse_args(p, T_RBRACE, &e->nargs, true);
		seal(p, e);
		if (p->err == NULL)
			fold_literal(p, e);
		return e;
	case T_DOT:
		perr(p, pos, "unsupported: qualified names with a leading '.'");
		return NULL;
	case T_IDENT:
		break;
	default:
		perr(p, pos, p->tok == T_EOF ? "syntax error: unexpected end of expression" :
		    "syntax error: unexpected token");
		return NULL;
	}
	/* an identifier: a variable, a function call or a message */
	{
		const char *name = p->text;
		size_t len = p->tlen;

		if (is_reserved(name, len)) {
			perr(p, pos, "reserved identifier: %.*s", (int)len, name);
			return NULL;
		}
		next(p);
		if (p->tok == T_LPAREN)
			return parse_call(p, NULL, name, len, pos);
		if (p->tok == T_LBRACE) {
			perr(p, pos, "unsupported: message construction '%.*s{...}'",
			    (int)len, name);
			return NULL;
		}
		for (i = p->nscope; i-- > 0; )
			if (strlen(p->scope[i]) == len &&
			    memcmp(p->scope[i], name, len) == 0) {
				e = mk(p, OP_VAR, pos);
				e->slot = (int)i;
				return e;
			}
		if (len == 4 && memcmp(name, "self", 4) == 0)
			return mk(p, OP_SELF, pos);
		if (len == 7 && memcmp(name, "oldSelf", 7) == 0) {
			p->prog->oldself = true;
			return mk(p, OP_OLDSELF, pos);
		}
		perr(p, pos, "undeclared reference to '%.*s'", (int)len, name);
		return NULL;
	}
}

/* Selections, indexes and method calls after e. */
static struct cel_ast *
parse_postfix(struct parser *p, struct cel_ast *e)
{
	struct cel_ast *s;
	size_t pos;

	while (p->err == NULL) {
		pos = p->tpos;
		if (p->tok == T_DOT) {
			const char *name;
			size_t len;

			next(p);
			if (p->tok == T_QUESTION) {
				perr(p, pos, "unsupported: optional field selection '.?'");
				return NULL;
			}
			if (p->tok != T_IDENT) {
				perr(p, p->tpos, "syntax error: expected a field name after '.'");
				return NULL;
			}
			name = p->text;
			len = p->tlen;
			if (is_reserved(name, len)) {
				perr(p, p->tpos, "reserved identifier: %.*s", (int)len,
				    name);
				return NULL;
			}
			pos = p->tpos;
			next(p);
			if (p->tok == T_LPAREN) {
				e = parse_call(p, e, name, len, pos);
				continue;
			}
			s = mk(p, OP_SELECT, pos);
			s->a = e;
			s->name = unescape_field(p, name, len, &s->namelen);
			s->written = arena_strndup(p->arena, name, len);
			s->writtenlen = len;
			e = seal(p, s);
		} else if (p->tok == T_LBRACKET) {
			next(p);
			if (p->tok == T_QUESTION) {
				perr(p, pos, "unsupported: optional index '[?'");
				return NULL;
			}
			e = mk2(p, OP_INDEX, pos, e, parse_expr(p));
			expect(p, T_RBRACKET, "']'");
		} else
			break;
	}
	return e;
}

static struct cel_ast *
parse_member(struct parser *p)
{
	return parse_postfix(p, parse_primary(p));
}

static struct cel_ast *
parse_unary(struct parser *p)
{
	struct cel_ast *e;
	size_t pos = p->tpos;

	if (++p->depth > MAX_DEPTH) {
		perr(p, pos, "expression nested too deeply");
		return NULL;
	}
	if (p->tok == T_NOT) {
		next(p);
		e = mk2(p, OP_NOT, pos, parse_unary(p), NULL);
	} else if (p->tok == T_MINUS) {
		next(p);
		if (p->tok == T_INT || p->tok == T_DOUBLE) {
			/* a negative literal (-9223372036854775808 is one) */
			struct cel_ast *lit = mk(p, OP_LIT, p->tpos);
			bool isint = p->tok == T_INT;
			uint64_t mag = p->uval;

			lit->lit.k = isint ? CV_INT : CV_DOUBLE;
			lit->lit.d = p->dval;
			next(p);
			if (p->tok == T_DOT || p->tok == T_LBRACKET) {
				/* a member access binds tighter than the sign */
				if (isint && mag > (uint64_t)INT64_MAX) {
					perr(p, lit->pos, "invalid int literal");
					return NULL;
				}
				if (isint)
					lit->lit.i = (int64_t)mag;
				e = mk2(p, OP_NEG, pos, parse_postfix(p, seal(p, lit)),
				    NULL);
			} else {
				e = lit;
				e->pos = pos;
				if (isint)
					e->lit.i = mag == (uint64_t)INT64_MAX + 1 ?
					    INT64_MIN : -(int64_t)mag;
				else
					e->lit.d = -e->lit.d;
				seal(p, e);
			}
		} else
			e = mk2(p, OP_NEG, pos, parse_unary(p), NULL);
	} else
		e = parse_member(p);
	p->depth--;
	return e;
}

/* The binary operators by precedence, loosest first; all associate left. */
static const struct binop {
	int		 level;
	enum tok	 tok;
	enum cel_op	 op;
} binops[] = {
	{ 0, T_OR, OP_OR },
	{ 1, T_AND, OP_AND },
	{ 2, T_EQ, OP_EQ }, { 2, T_NE, OP_NE }, { 2, T_LT, OP_LT },
	{ 2, T_LE, OP_LE }, { 2, T_GT, OP_GT }, { 2, T_GE, OP_GE },
	{ 2, T_IN, OP_IN },
	{ 3, T_PLUS, OP_ADD }, { 3, T_MINUS, OP_SUB },
	{ 4, T_STAR, OP_MUL }, { 4, T_SLASH, OP_DIV }, { 4, T_PERCENT, OP_MOD },
};
#define BINOP_LEVELS	5

static struct cel_ast *
parse_binary(struct parser *p, int level)
{
	struct cel_ast *e;
	size_t i, pos;

	if (level == BINOP_LEVELS)
		return parse_unary(p);
	e = parse_binary(p, level + 1);
	while (p->err == NULL) {
		for (i = 0; i < nitems(binops); i++)
			if (binops[i].level == level && binops[i].tok == p->tok)
				break;
		if (i == nitems(binops))
			break;
		pos = p->tpos;
		next(p);
		e = mk2(p, binops[i].op, pos, e, parse_binary(p, level + 1));
	}
	return e;
}

static struct cel_ast *
parse_expr(struct parser *p)
{
	struct cel_ast *e, *c;
	size_t pos;

	if (++p->depth > MAX_DEPTH) {
		perr(p, p->tpos, "expression nested too deeply");
		return NULL;
	}
	e = parse_binary(p, 0);
	if (p->err == NULL && p->tok == T_QUESTION) {
		pos = p->tpos;
		next(p);
		c = mk(p, OP_COND, pos);
		c->a = e;
		c->b = parse_binary(p, 0);
		expect(p, T_COLON, "':'");
		c->c = parse_expr(p);
		e = seal(p, c);
	}
	p->depth--;
	return e;
}

struct cel_program *
cel_compile(const char *expr, char **err)
{
	struct parser p;
	struct cel_program *prog;
	struct cel_ast *root;

	*err = NULL;
	memset(&p, 0, sizeof(p));
	prog = xcalloc(1, sizeof(*prog));
	prog->arena = arena_new();
	p.src = expr;
	p.len = strlen(expr);
	p.arena = prog->arena;
	p.prog = prog;
	next(&p);
	root = parse_expr(&p);
	if (p.err == NULL && p.tok != T_EOF)
		perr(&p, p.tpos, "syntax error: unexpected token after the expression");
	if (p.err == NULL && root == NULL)
		perr(&p, 0, "syntax error");
	if (p.err != NULL) {
		*err = p.err;
		cel_program_free(prog);
		return NULL;
	}
	prog->root = root;
	return prog;
}

void
cel_program_free(struct cel_program *prog)
{
	size_t i;

	if (prog == NULL)
		return;
	for (i = 0; i < prog->nres; i++)
		pcre2_code_free(prog->res[i]);
	free(prog->res);
	arena_free(prog->arena);
	free(prog);
}

bool
cel_uses_oldself(const struct cel_program *prog)
{
	return prog->oldself;
}
