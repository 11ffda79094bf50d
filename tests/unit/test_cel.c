/*
 * test_cel.c: the CEL compiler and evaluator: literals, operators with
 * cel-go's semantics and error wording, macros, the string, list and
 * duration functions, compile failures, every rule of the embedded CRDs,
 * and real CRD rules against small documents.
 */
#include <stdlib.h>

#include "arena.h"
#include "cel.h"
#include "diag.h"
#include "gen/embedded.h"
#include "load.h"
#include "node.h"
#include "source.h"
#include "unit.h"
#include "util.h"

static struct arena *A;
static struct diags D;
static struct source **srcs;	/* the sources of the documents, freed at the end */
static size_t nsrcs;

static int
first_doc(struct doc *d, void *ud)
{
	*(struct node **)ud = d->root;
	return 2;
}

/* The first document of text (as load_string, with a source we free). */
static struct node *
yaml(const char *text)
{
	struct load_opts o;
	struct source *src;
	struct node *root = NULL;

	load_opts_init(&o);
	src = source_new("test.yaml", xstrdup(text), strlen(text), 1);
	srcs = xreallocarray(srcs, nsrcs + 1, sizeof(*srcs));
	srcs[nsrcs++] = src;
	load_source(src, A, &o, &D, first_doc, &root);
	return root;
}

enum want { W_TRUE, W_FALSE, W_ERROR, W_COMPILE_ERROR };

static void
result(bool ok, int line, const char *expr, const char *got, const char *want)
{
	if (ok) {
		unit_pass++;
		return;
	}
	unit_fail++;
	fprintf(stderr, "FAIL %s:%d: %s: `%s`: ", __FILE__, line, unit_current,
	    expr);
	fprintf(stderr, "got \"%s\", want \"%s\"\n", got ? got : "(null)",
	    want ? want : "(null)");
}

static const char *const status_names[] = { "true", "false", "error", "compile error" };

/*
 * Evaluate expr with self and check the outcome; for W_ERROR and
 * W_COMPILE_ERROR, msg must be a substring of the error (exact for runtime
 * errors when exact is set).
 */
static void
check_eval(int line, const char *expr, const struct node *self, enum want want,
    const char *msg)
{
	struct cel_program *p;
	char *err = NULL;
	enum cel_status st;
	enum want got;

	p = cel_compile(expr, &err);
	if (p == NULL) {
		got = W_COMPILE_ERROR;
	} else {
		st = cel_eval_bool(p, self, &err);
		got = st == CEL_TRUE ? W_TRUE : st == CEL_FALSE ? W_FALSE : W_ERROR;
		cel_program_free(p);
	}
	if (got != want) {
		result(false, line, expr, status_names[got], status_names[want]);
		if (err != NULL)
			fprintf(stderr, "    error: %s\n", err);
	} else if (want == W_ERROR)
		result(err != NULL && strcmp(err, msg) == 0, line, expr, err, msg);
	else if (want == W_COMPILE_ERROR)
		result(err != NULL && strstr(err, msg) != NULL, line, expr, err,
		    msg);
	else
		result(true, line, expr, NULL, NULL);
	free(err);
}

static void
check_str(int line, const char *expr, const struct node *self, const char *want)
{
	struct cel_program *p;
	char *err = NULL, *out = NULL;

	p = cel_compile(expr, &err);
	if (p == NULL) {
		result(false, line, expr, err, want);
		free(err);
		return;
	}
	if (cel_eval_string(p, self, &out, &err) != 0)
		result(false, line, expr, err, want);
	else
		result(strcmp(out, want) == 0, line, expr, out, want);
	free(out);
	free(err);
	cel_program_free(p);
}

#define T(expr)		check_eval(__LINE__, expr, NULL, W_TRUE, NULL)
#define F(expr)		check_eval(__LINE__, expr, NULL, W_FALSE, NULL)
#define E(expr, msg)	check_eval(__LINE__, expr, NULL, W_ERROR, msg)
#define CE(expr, msg)	check_eval(__LINE__, expr, NULL, W_COMPILE_ERROR, msg)
#define TS(expr, s)	check_eval(__LINE__, expr, s, W_TRUE, NULL)
#define FS(expr, s)	check_eval(__LINE__, expr, s, W_FALSE, NULL)
#define ES(expr, s, msg) check_eval(__LINE__, expr, s, W_ERROR, msg)
#define S(expr, want)	check_str(__LINE__, expr, NULL, want)

TEST(literals)
{
	T("1 == 1");
	T("0x10 == 16");
	T("-9223372036854775808 < 0");
	T("9223372036854775807 > 0");
	CE("9223372036854775808", "invalid int literal");
	T("1u == 1u");
	T("18446744073709551615u > 0u");
	T("1.5 == 1.5");
	T("1e3 == 1000.0");
	T(".5 == 0.5");
	T("2.5e-1 == 0.25");
	T("'abc' == \"abc\"");
	T("'''a'b''' == \"a'b\"");
	T("\"\"\"x\ny\"\"\" == 'x\\ny'");
	T("r'\\d' == '\\\\d'");
	T("R\"a\\tb\" == 'a\\\\tb'");
	T("'\\x41\\101\\u0041\\U00000041' == 'AAAA'");
	T("'\\u00e9' == 'é'");
	T("'\\xe9' == 'é'");
	T("'\\a\\b\\f\\n\\r\\t\\v\\\\\\'\\\"\\`\\?' == \"\\a\\b\\f\\n\\r\\t\\v\\\\'\\\"`?\"");
	T("b'abc' == b\"abc\"");
	T("size(b'\\xff') == 1");
	T("size('\\xff') == 1");
	T("size(rb'\\x') == 2");
	T("true");
	F("false");
	T("null == null");
	T("[1, 2, 3] == [1, 2, 3]");
	T("[] == []");
	T("{'a': 1, 'b': 2} == {'b': 2, 'a': 1}");
	T("{'a': 1}['a'] == 1");
	T("{1: 'x'}[1] == 'x'");
	T("[1, [2, 3]][1][0] == 2");
	T("// a comment\n true");
	CE("'abc", "unterminated string");
	CE("'a\nb'", "newline in string");
	CE("'\\q'", "invalid escape");
	CE("'\\ud800'", "invalid escape");
}

TEST(logic)
{
	/* CEL's commutative, error-absorbing && and || */
	F("false && (1 / 0 == 1)");
	F("(1 / 0 == 1) && false");
	T("true || (1 / 0 == 1)");
	T("(1 / 0 == 1) || true");
	E("true && (1 / 0 == 1)", "division by zero");
	E("(1 / 0 == 1) && true", "division by zero");
	E("false || (1 / 0 == 1)", "division by zero");
	E("(1 % 0 == 1) || (1 / 0 == 1)", "modulus by zero");
	F("false && 'x'");
	E("true && 'x'", "no such overload");
	E("'x' && (1 / 0 == 1)", "no such overload");
	E("(1 / 0 == 1) || 'x'", "division by zero");
	T("!false");
	F("!true");
	T("!!true");
	E("!1", "no such overload");
	T("true ? true : false");
	F("false ? true : false");
	T("1 < 2 ? 'a' == 'a' : 1 / 0 == 0");
	E("1 > 2 ? true : 1 / 0 == 0", "division by zero");
	E("'x' ? true : false", "no such overload");
	T("false ? false : true ? true : false");
	/* precedence: && binds tighter than || */
	T("true || false && false");
	F("(true || false) && false");
}

TEST(comparisons)
{
	T("1 < 2");
	T("2 <= 2");
	T("3 > 2");
	T("3 >= 3");
	F("3 < 3");
	T("1 != 2");
	/* heterogeneous numeric equality and ordering */
	T("1 == 1.0");
	T("1 == 1u");
	T("1u == 1.0");
	F("1 == 1.5");
	T("1 < 1.5");
	T("2 > 1.5");
	T("-1 < 1u");
	T("1u < 2");
	T("2.5 > 2");
	T("9223372036854775807 < 9223372036854775808.0");
	F("0.0 / 0.0 == 0.0 / 0.0");
	F("1 < 0.0 / 0.0");
	/* equality across other types is false, not an error */
	F("1 == 'a'");
	T("1 != 'a'");
	F("null == 0");
	F("[1] == ['1']");
	T("[1, 2] != [2, 1]");
	F("{'a': 1} == {'a': 2}");
	/* ordering across types is an error */
	E("1 < 'a'", "no such overload");
	E("[1] < [2]", "no such overload");
	E("null < null", "no such overload");
	T("'a' < 'b'");
	T("'abc' > 'ab'");
	T("'B' < 'a'");
	T("b'a' < b'b'");
	T("false < true");
	T("duration('1s') < duration('2s')");
	T("duration('60s') == duration('1m')");
}

TEST(arithmetic)
{
	T("1 + 2 * 3 == 7");
	T("(1 + 2) * 3 == 9");
	T("7 / 2 == 3");
	T("-7 / 2 == -3");
	T("7 % 3 == 1");
	T("-7 % 3 == -1");
	T("7u / 2u == 3u");
	T("1.5 + 1.0 == 2.5");
	T("1.0 / 0.0 > 1e308");
	T("-(3) == -3");
	T("- -3 == 3");
	T("-1.5 < 0.0");
	/* a member access binds tighter than the sign */
	E("-1.5.size() == -1", "no such overload");
	E("-2[0] == -2", "no such key: 0");
	CE("-9223372036854775808.size() == 0", "invalid int literal");
	T("-1.5 * 2.0 == -3.0");
	E("9223372036854775807 + 1 == 0", "integer overflow");
	E("-9223372036854775808 - 1 == 0", "integer overflow");
	E("9223372036854775807 * 2 == 0", "integer overflow");
	E("-9223372036854775808 / -1 == 0", "integer overflow");
	E("-(-9223372036854775808) == 0", "integer overflow");
	E("0u - 1u == 0u", "unsigned integer overflow");
	E("1 / 0 == 0", "division by zero");
	E("1 % 0 == 0", "modulus by zero");
	E("1u / 0u == 0u", "division by zero");
	E("1 + 1.0 == 2.0", "no such overload");
	E("1 + 1u == 2", "no such overload");
	E("1.5 % 1.0 == 0.5", "no such overload");
	E("-'a' == 'a'", "no such overload");
	E("-1u == 1u", "no such overload");
	T("'ab' + 'cd' == 'abcd'");
	T("b'ab' + b'cd' == b'abcd'");
	T("[1] + [2, 3] == [1, 2, 3]");
	T("[] + [1] == [1]");
	E("'a' - 'a' == ''", "no such overload");
	T("duration('1h') + duration('30m') == duration('90m')");
	T("duration('1h') - duration('30m') == duration('30m')");
	T("-duration('1s') == duration('-1s')");
	E("duration('1h') * 2 == duration('2h')", "no such overload");
}

TEST(membership)
{
	T("'a' in ['a', 'b']");
	F("'c' in ['a', 'b']");
	T("1 in [1.0, 2.0]");
	T("2 in [1, 2u]");
	F("'a' in []");
	T("'a' in {'a': 1}");
	F("'b' in {'a': 1}");
	T("1 in {1: 'x'}");
	T("1.0 in {1: 'x'}");
	E("1 in 'abc'", "no such overload");
	T("[1] in [[1], [2]]");
}

TEST(selection)
{
	struct node *n = yaml(
	    "a:\n"
	    "  b: 1\n"
	    "  c: [x, w]\n"
	    "  d: null\n"
	    "  e: 1.5\n"
	    "  f: true\n"
	    "  g: {}\n"
	    "'x-y': 2\n"
	    "namespace: ns\n");

	TS("self.a.b == 1", n);
	TS("self['a']['b'] == 1", n);
	TS("self.a.c[1] == 'w'", n);
	TS("self.a.d == null", n);
	TS("self.a.e == 1.5", n);
	TS("self.a.f", n);
	TS("size(self.a.g) == 0", n);
	TS("has(self.a)", n);
	TS("has(self.a.b)", n);
	FS("has(self.z)", n);
	FS("has(self.a.z)", n);
	TS("has(self.a.d)", n);
	ES("has(self.z.y)", n, "no such key: z");
	ES("self.z == 1", n, "no such key: z");
	ES("self.a.z == 1", n, "no such key: z");
	ES("self['z'] == 1", n, "no such key: z");
	ES("self.a.c[2] == 'y'", n, "index '2' out of range in list size '2'");
	ES("self.a.c[-1] == 'y'", n, "index '-1' out of range in list size '2'");
	ES("self.a.c['x'] == 'y'", n, "unsupported index type 'string' in list");
	ES("self.a.b.c == 1", n, "no such key: c");
	FS("has(self.a.b.c)", n);
	ES("self.a.c.d == 1", n, "unsupported index type 'string' in list");
	FS("has(self.a.c.d)", n);
	ES("self.a.b[0] == 1", n, "no such key: 0");
	ES("self[1] == 1", n, "no such overload");
	TS("self.x__dash__y == 2", n);
	TS("self.__namespace__ == 'ns'", n);
	ES("self.a__dash__b == 1", n, "no such key: a__dash__b");
	FS("has(self.a__dash__b)", n);
	CE("self.namespace == 'ns'", "reserved identifier: namespace");
	/* errors absorbed by the logic operators */
	TS("!has(self.z) || self.z.y == 1", n);
	TS("has(self.z) && self.z.y == 1 || true", n);
	/* self absent */
	check_eval(__LINE__, "self == null", NULL, W_TRUE, NULL);
	check_eval(__LINE__, "has(self.a)", NULL, W_FALSE, NULL);
	check_eval(__LINE__, "self.a == 1", NULL, W_ERROR, "no such key: a");
	/* self as scalars */
	TS("self == 'Replace'", yaml("Replace"));
	FS("self != 'Replace'", yaml("Replace"));
	TS("self == 42", yaml("42"));
	TS("size(self) == 3", yaml("[1, 2, 3]"));
	TS("self[0] == 1", yaml("[1, 2, 3]"));
}

TEST(macros)
{
	struct node *n = yaml(
	    "items: [1, 2, 3, 4]\n"
	    "m: {a: 1, b: 2}\n"
	    "refs:\n"
	    "- {kind: Gateway, group: gateway.networking.k8s.io}\n"
	    "- {kind: HTTPRoute}\n");

	TS("self.items.all(x, x > 0)", n);
	FS("self.items.all(x, x > 1)", n);
	TS("self.items.exists(x, x == 3)", n);
	FS("self.items.exists(x, x == 5)", n);
	TS("self.items.exists_one(x, x == 3)", n);
	FS("self.items.exists_one(x, x > 2)", n);
	TS("self.items.map(x, x * 2) == [2, 4, 6, 8]", n);
	TS("self.items.map(x, x % 2 == 0, x * 10) == [20, 40]", n);
	TS("self.items.filter(x, x % 2 == 1) == [1, 3]", n);
	TS("self.m.all(k, k in ['a', 'b'])", n);
	TS("self.m.exists(k, self.m[k] == 2)", n);
	TS("self.m.map(k, k) == ['a', 'b']", n);
	TS("[].all(x, false)", n);
	FS("[].exists(x, true)", n);
	TS("[[1, 2], [3]].all(l, l.all(x, x > 0))", n);
	TS("[1, 2].exists(x, [3, 4].exists(y, x + y == 6))", n);
	/* error absorption in all/exists */
	ES("self.refs.all(r, r.group == 'gateway.networking.k8s.io')", n,
	    "no such key: group");
	FS("self.refs.all(r, r.group == 'x')", n);
	TS("self.refs.exists(r, r.group == 'gateway.networking.k8s.io')", n);
	TS("[0, 1].exists(x, 1 / x == 1)", n);
	E("[0, 2].exists(x, 1 / x == 1)", "division by zero");
	F("[0, 2].all(x, 1 / x == 1)");
	E("[0, 1].all(x, 1 / x == 1)", "division by zero");
	E("[0, 1].exists_one(x, 1 / x == 1)", "division by zero");
	E("[0].map(x, 1 / x)", "division by zero");
	E("[0].filter(x, 1 / x == 1)", "division by zero");
	E("1.all(x, true)", "no such overload");
	E("[1].all(x, x)", "no such overload");
	TS("self.refs.all(ref, ref.kind in ['Gateway', 'HTTPRoute'])", n);
	/* the variable is scoped to the macro */
	CE("[1].all(x, true) && x == 1", "undeclared reference to 'x'");
	CE("[1].all(1, true)", "simple name");
	CE("[1].all(x)", "expected ','");
	CE("[1].all(i, x, x > 0)", "two-variable comprehensions are not supported");
	CE("[1].map(x, true, x, x)", "map() macro: too many arguments");
	T("[1, 2].existsOne(x, x == 2)");
}

TEST(strings)
{
	T("'hello'.startsWith('he')");
	F("'hello'.startsWith('lo')");
	T("'hello'.endsWith('lo')");
	T("'hello'.contains('ell')");
	T("'hello'.contains('')");
	F("'hello'.contains('xyz')");
	T("'Post'.upperAscii() == 'POST'");
	T("'ÄbC'.lowerAscii() == 'Äbc'");
	T("'  a b \\t\\n'.trim() == 'a b'");
	T("'\\u00a0x\\u3000'.trim() == 'x'");
	T("'   '.trim() == ''");
	T("'a,b,c'.split(',') == ['a', 'b', 'c']");
	T("'a,b,c'.split(',', 2) == ['a', 'b,c']");
	T("'a,b,c'.split(',', 0) == []");
	T("'abc'.split('') == ['a', 'b', 'c']");
	T("''.split(',') == ['']");
	T("['a', 'b'].join() == 'ab'");
	T("['a', 'b'].join('-') == 'a-b'");
	T("[].join('-') == ''");
	T("'hello'.indexOf('l') == 2");
	T("'hello'.indexOf('l', 3) == 3");
	T("'hello'.indexOf('z') == -1");
	T("'hello'.indexOf('') == 0");
	T("'héllo'.indexOf('l') == 2");
	T("'hello'.lastIndexOf('l') == 3");
	T("'hello'.lastIndexOf('l', 2) == 2");
	T("'hello'.lastIndexOf('') == 5");
	E("'hello'.indexOf('l', -1) == 0", "index out of range: -1");
	T("'a.b.c'.replace('.', '/') == 'a/b/c'");
	T("'a.b.c'.replace('.', '/', 1) == 'a/b.c'");
	T("'ab'.replace('', '-') == '-a-b-'");
	T("'hello'.substring(1) == 'ello'");
	T("'hello'.substring(1, 3) == 'el'");
	T("'héllo'.substring(1, 2) == 'é'");
	E("'hello'.substring(6) == ''", "index out of range: 6");
	E("'hello'.substring(3, 1) == ''", "invalid substring range. start: 3, end: 1");
	T("'hello'.charAt(1) == 'e'");
	T("'hello'.charAt(5) == ''");
	E("'hello'.charAt(6) == ''", "index out of range: 6");
	T("size('héllo') == 5");
	T("'héllo'.size() == 5");
	T("size([1, 2]) == 2");
	T("size({'a': 1}) == 1");
	E("size(1) == 1", "no such overload");
	E("'a'.startsWith(1)", "no such overload");
	/* matches: RE2 semantics, unanchored */
	T("'abc123'.matches('[0-9]+')");
	T("matches('abc', '^a.c$')");
	F("'abc'.matches('^b')");
	F("'ab\\n'.matches('^ab$')");
	T("'AB'.matches('(?i)ab')");
	T("'x'.matches('^' + 'x' + '$')");
	T("'é'.matches('^.$')");
	CE("'a'.matches('(a')", "invalid regular expression");
	CE("'aa'.matches('(a)\\\\1')", "backreferences are not supported");
	CE("'a'.matches('a(?=b)')", "lookaround is not supported");
	CE("'a'.matches('a++')", "possessive");
	CE("'a'.matches('a(?#x)')", "group syntax is not supported");
	CE("'a'.matches('(*UTF)a')", "verbs");
	CE("'a'.matches('a\\\\K')", "not RE2 syntax");
	T("'\\n'.matches('^\\\\12$')");
	T("'a\\nb\\nc'.matches('(?m)^b$')");
	F("'a\\nb\\nc'.matches('^b$')");
	F("'a\\r\\nb'.matches('(?m)a$')");
	T("'a\\nb'.matches('(?s)a.b')");
	F("'a\\nb'.matches('a.b')");
	T("'\\u0663'.matches('^\\\\D$')");
	E("'a'.matches('(' + 'a')", "error parsing regexp: missing closing parenthesis at offset 2");
}

TEST(conversions)
{
	T("int('42') == 42");
	T("int('-42') == -42");
	E("int('4x') == 4", "type conversion error from 'string' to 'int'");
	T("int(2.9) == 2");
	T("int(-2.9) == -2");
	E("int(1e19) == 0", "integer overflow");
	T("int(3u) == 3");
	T("uint(3) == 3u");
	E("uint(-1) == 0u", "unsigned integer overflow");
	T("double(3) == 3.0");
	T("double('1.5') == 1.5");
	E("double('x') == 1.0", "type conversion error from 'string' to 'double'");
	T("string(42) == '42'");
	T("string(-1) == '-1'");
	T("string(3u) == '3'");
	T("string(true) == 'true'");
	T("string(b'abc') == 'abc'");
	E("string(b'\\xff') == ''", "invalid UTF-8 in bytes, cannot convert to string");
	T("bytes('abc') == b'abc'");
	T("bool('true') && !bool('false')");
	E("bool('yes')", "type conversion error from 'string' to 'bool'");
	T("dyn(1) == 1");
	S("string(1.5)", "1.5");
	S("string(100000.0)", "100000");
	S("string(1000000.0)", "1e+06");
	S("string(0.0001)", "0.0001");
	S("string(0.00001)", "1e-05");
	S("string(duration('1h30m'))", "5400s");
	S("string(duration('1.5s'))", "1.5s");
	S("string(duration('-300us'))", "-0.0003s");
	S("'a' + string(1)", "a1");
}

TEST(durations)
{
	/* Go time.ParseDuration semantics */
	T("duration('1.5s') == duration('1500ms')");
	T("duration('-1s') < duration('0s')");
	T("duration('300us') == duration('0.3ms')");
	T("duration('300µs') == duration('300us')");
	T("duration('1h30m') == duration('90m')");
	T("duration('0') == duration('0s')");
	T("duration('+5s') == duration('5s')");
	T("duration('.5s') == duration('500ms')");
	T("duration('1.s') == duration('1s')");
	T("duration('1h1m1s1ms1us1ns') > duration('1h')");
	T("duration('2562047h') > duration('1h')");
	T("duration('1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s') == "
	    "duration('40s')");
	E("duration('1s\\x00') > duration('0s')",
	    "type conversion error from 'string' to 'google.protobuf.Duration'");
	T("duration('1s5m'.substring(0, 2)) == duration('1s')");
	T("duration('1s').getSeconds() == 1");
	T("duration('90m').getHours() == 1");
	T("duration('90m').getMinutes() == 90");
	T("duration('1.5s').getMilliseconds() == 1500");
	T("int(duration('1ms')) == 1000000");
	E("duration('1d') > duration('0s')",
	    "type conversion error from 'string' to 'google.protobuf.Duration'");
	E("duration('') > duration('0s')",
	    "type conversion error from 'string' to 'google.protobuf.Duration'");
	E("duration('1') > duration('0s')",
	    "type conversion error from 'string' to 'google.protobuf.Duration'");
	E("duration('s') > duration('0s')",
	    "type conversion error from 'string' to 'google.protobuf.Duration'");
	E("duration('.s') > duration('0s')",
	    "type conversion error from 'string' to 'google.protobuf.Duration'");
	E("duration('1sec') > duration('0s')",
	    "type conversion error from 'string' to 'google.protobuf.Duration'");
	E("duration('9999999999h') > duration('0s')",
	    "type conversion error from 'string' to 'google.protobuf.Duration'");
	E("duration(' 1s') > duration('0s')",
	    "type conversion error from 'string' to 'google.protobuf.Duration'");
	E("duration(1) > duration('0s')",
	    "type conversion error from 'int' to 'google.protobuf.Duration'");
	E("duration('1s') < 1", "no such overload");
	F("duration('1s') == 1");
}

TEST(lists)
{
	T("[1, 2, 3].isSorted()");
	F("[1, 3, 2].isSorted()");
	T("['a', 'b'].isSorted()");
	T("[].isSorted()");
	T("[1, 2, 3].sum() == 6");
	T("[1.5, 2.5].sum() == 4.0");
	T("[].sum() == 0");
	T("[duration('1s'), duration('2s')].sum() == duration('3s')");
	T("[3, 1, 2].min() == 1");
	T("[3, 1, 2].max() == 3");
	T("['b', 'a'].min() == 'a'");
	E("[].min() == 0", "min called on empty list");
	E("[].max() == 0", "max called on empty list");
	T("[1, 2, 1].indexOf(1) == 0");
	T("[1, 2, 1].lastIndexOf(1) == 2");
	T("[1, 2].indexOf(3) == -1");
	E("[1, 'a'].isSorted()", "no such overload");
}

TEST(compile_errors)
{
	CE("", "unexpected end");
	CE("1 +", "unexpected end");
	CE("(1", "expected ')'");
	CE("1 2", "unexpected token after the expression");
	CE("foo", "undeclared reference to 'foo'");
	CE("foo(1)", "undeclared reference to 'foo'");
	CE("timestamp('2020-01-01T00:00:00Z') > timestamp('2019-01-01T00:00:00Z')",
	    "unsupported function 'timestamp'");
	CE("type(1) == int", "unsupported function 'type'");
	CE("url('https://x').getHost() == 'x'", "unsupported function 'url'");
	CE("quantity('1Gi').isGreaterThan(quantity('1Mi'))",
	    "unsupported function 'quantity'");
	CE("self.?a", "optional field selection");
	CE("self[?'a']", "optional index");
	CE("Foo{a: 1}", "message construction");
	CE("has(self)", "invalid argument to has() macro");
	CE("size(1, 2)", "no matching overload for 'size'");
	CE("'a'.startsWith()", "no matching overload for 'startsWith'");
	CE("startsWith('a', 'b')", "no matching overload for 'startsWith'");
	CE("1 = 1", "unexpected character '='");
	CE("1 & 1", "unexpected character '&'");
	CE("1 | 1", "unexpected character '|'");
	CE("1 # 1", "unexpected character '#'");
	CE(".self", "leading '.'");
	CE("if", "reserved identifier: if");
	CE("self.a.while", "reserved identifier: while");
	CE("'a'.matches(r'[')", "invalid regular expression");
	/* position of the error: line and column */
	CE("true &&\n  foo", "2:3: undeclared reference to 'foo'");
	{
		/* deep nesting is refused, not a stack overflow */
		struct strbuf sb;
		int i;

		sb_init(&sb);
		for (i = 0; i < 1000; i++)
			sb_addc(&sb, '(');
		sb_adds(&sb, "1");
		for (i = 0; i < 1000; i++)
			sb_addc(&sb, ')');
		CE(sb.buf, "nested too deeply");
		/* so is a long chain, which would recurse as deep when evaluated */
		sb_reset(&sb);
		sb_adds(&sb, "0");
		for (i = 0; i < 2000; i++)
			sb_adds(&sb, " + 1");
		sb_adds(&sb, " == 2000");
		CE(sb.buf, "nested too deeply");
		sb_reset(&sb);
		sb_adds(&sb, "0");
		for (i = 0; i < 500; i++)
			sb_adds(&sb, " + 1");
		sb_adds(&sb, " == 500");
		T(sb.buf);
		sb_release(&sb);
	}
}

TEST(oldself)
{
	struct cel_program *p;
	char *err = NULL;

	p = cel_compile("self == oldSelf", &err);
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK(cel_uses_oldself(p));
		CHECK_INT(cel_eval_bool(p, NULL, &err), CEL_ERROR);
		CHECK(err != NULL && strstr(err, "oldSelf") != NULL);
		free(err);
		cel_program_free(p);
	}
	p = cel_compile("self.all(x, x.oldSelf == 1)", &err);
	CHECK(p != NULL && !cel_uses_oldself(p));
	cel_program_free(p);
	p = cel_compile("[1].all(oldSelf, oldSelf == 1)", &err);
	CHECK(p != NULL && !cel_uses_oldself(p));
	cel_program_free(p);
}

TEST(eval_string)
{
	struct node *n = yaml("name: web\nport: 8080\n");
	struct cel_program *p;
	char *out = NULL, *err = NULL;

	p = cel_compile("'route ' + self.name + ':' + string(self.port)", &err);
	CHECK(p != NULL);
	CHECK_INT(cel_eval_string(p, n, &out, &err), 0);
	CHECK_STR(out, "route web:8080");
	free(out);
	cel_program_free(p);
	p = cel_compile("self.port", &err);
	CHECK_INT(cel_eval_string(p, n, &out, &err), -1);
	CHECK(out == NULL);
	CHECK_STR(err, "messageExpression must evaluate to a string");
	free(err);
	cel_program_free(p);
	p = cel_compile("self.nope", &err);
	CHECK_INT(cel_eval_string(p, n, &out, &err), -1);
	CHECK_STR(err, "no such key: nope");
	free(err);
	cel_program_free(p);
	/* a non-bool rule is an error */
	p = cel_compile("1", &err);
	CHECK_INT(cel_eval_bool(p, n, &err), CEL_ERROR);
	free(err);
	cel_program_free(p);
}

/* Every rule of the embedded CRDs (borrowed from their trees). */
static const char **crd_rules;
static size_t ncrd_rules;

/* Walk a CRD and compile every x-kubernetes-validations rule. */
static void
compile_rules(const struct node *n, int *total, int *ok)
{
	size_t i, j;

	if (n == NULL)
		return;
	if (n->kind == NODE_SEQ) {
		for (i = 0; i < n->n; i++)
			compile_rules(n->items[i], total, ok);
		return;
	}
	if (n->kind != NODE_MAP)
		return;
	for (i = 0; i < n->n; i++) {
		const struct node *v = n->pairs[i].val;

		if (strcmp(n->pairs[i].key->str, "x-kubernetes-validations") == 0 &&
		    v->kind == NODE_SEQ) {
			for (j = 0; j < v->n; j++) {
				const char *rule = node_get_str(v->items[j], "rule");
				const char *mexpr = node_get_str(v->items[j],
				    "messageExpression");
				struct cel_program *p;
				char *err = NULL;

				(*total)++;
				if (rule != NULL) {
					crd_rules = xreallocarray(crd_rules,
					    ncrd_rules + 1, sizeof(*crd_rules));
					crd_rules[ncrd_rules++] = rule;
				}
				p = rule ? cel_compile(rule, &err) : NULL;
				if (p == NULL) {
					fprintf(stderr, "rule does not compile: %s: %s\n",
					    rule ? rule : "(missing)", err ? err : "");
					free(err);
					continue;
				}
				cel_program_free(p);
				if (mexpr != NULL) {
					p = cel_compile(mexpr, &err);
					if (p == NULL) {
						fprintf(stderr, "messageExpression does not "
						    "compile: %s: %s\n", mexpr, err);
						free(err);
						continue;
					}
					cel_program_free(p);
				}
				(*ok)++;
			}
		} else
			compile_rules(v, total, ok);
	}
}

TEST(crd_rules_compile)
{
	const struct embedded_file *f;
	int total = 0, ok = 0, crds = 0;

	for (f = embedded_files; f->name != NULL; f++) {
		struct node *root;

		if (strstr(f->name, "backendtrafficpolicies") == NULL)
			continue;
		root = yaml((const char *)f->data);
		CHECK(root != NULL);
		compile_rules(root, &total, &ok);
		crds++;
	}
	printf("cel rules compiled: %d/%d\n", ok, total);
	CHECK_INT(crds, 2);
	CHECK(total > 100);
	CHECK_INT(ok, total);
}

/* Real rules of the BackendTrafficPolicy CRDs against small documents. */
TEST(crd_rules_eval)
{
	const char *mergetype = "!has(self.mergeType) || ((!has(self.targetRef) || "
	    "self.targetRef.kind in ['HTTPRoute', 'GRPCRoute', 'UDPRoute', "
	    "'TCPRoute', 'TLSRoute']) && (!has(self.targetRefs) || "
	    "self.targetRefs.all(ref, ref.kind in ['HTTPRoute', 'GRPCRoute', "
	    "'UDPRoute', 'TCPRoute', 'TLSRoute'])) && (!has(self.targetSelectors) "
	    "|| self.targetSelectors.all(sel, sel.kind in ['HTTPRoute', "
	    "'GRPCRoute', 'UDPRoute', 'TCPRoute', 'TLSRoute'])))";
	const char *targets = "(has(self.targetRef) && !has(self.targetRefs)) || "
	    "(!has(self.targetRef) && has(self.targetRefs)) || "
	    "(has(self.targetSelectors) && self.targetSelectors.size() > 0) ";
	const char *hc = "!has(self.timeout) || !has(self.interval) || "
	    "duration(self.timeout) < duration(self.interval)";
	const char *lb = "self.type == 'ConsistentHash' ? has(self.consistentHash) : "
	    "!has(self.consistentHash)";
	const char *preconnect = "!((has(self.connection) && "
	    "has(self.connection.preconnect) && "
	    "has(self.connection.preconnect.predictivePercent)) && "
	    "!(has(self.loadBalancer) && has(self.loadBalancer.type) && "
	    "self.loadBalancer.type in ['Random', 'RoundRobin']))";
	const char *outlier = "self.exists(e, e == 'Failure' || e == "
	    "'FailureSeriesStart') == self.exists(e, e == 'Success' || e == "
	    "'HealthyTransition')";
	const char *method = "!has(self.requestBody) || (has(self.method) && "
	    "self.method.upperAscii() in ['POST','PUT'])";

	TS(mergetype, yaml("targetRef: {group: gateway.networking.k8s.io, "
	    "kind: HTTPRoute, name: r}\nmergeType: StrategicMerge\n"));
	FS(mergetype, yaml("targetRef: {group: gateway.networking.k8s.io, "
	    "kind: ListenerSet, name: l}\nmergeType: StrategicMerge\n"));
	FS(mergetype, yaml("targetRefs:\n- {kind: HTTPRoute}\n- {kind: Gateway}\n"
	    "mergeType: JSONMerge\n"));
	TS(mergetype, yaml("targetRef: {kind: Gateway}\n"));
	TS(targets, yaml("targetRef: {kind: Gateway}\n"));
	FS(targets, yaml("targetRef: {kind: Gateway}\ntargetRefs: [{kind: Gateway}]\n"));
	FS(targets, yaml("targetSelectors: []\n"));
	TS(targets, yaml("targetSelectors: [{kind: HTTPRoute}]\n"));
	TS(hc, yaml("timeout: 1s\ninterval: 3s\n"));
	FS(hc, yaml("timeout: 5s\ninterval: 3s\n"));
	TS(hc, yaml("timeout: 1.5s\ninterval: 2s\n"));
	TS(hc, yaml("timeout: 5s\n"));
	ES(hc, yaml("timeout: 1d\ninterval: 3s\n"),
	    "type conversion error from 'string' to 'google.protobuf.Duration'");
	TS("duration(self) > duration('0s')", yaml("10ms"));
	FS("duration(self) > duration('0s')", yaml("0s"));
	FS("duration(self) > duration('0s')", yaml("-1s"));
	ES("duration(self) > duration('0s')", yaml("abc"),
	    "type conversion error from 'string' to 'google.protobuf.Duration'");
	TS(lb, yaml("type: ConsistentHash\nconsistentHash: {type: SourceIP}\n"));
	FS(lb, yaml("type: ConsistentHash\n"));
	FS(lb, yaml("type: RoundRobin\nconsistentHash: {type: SourceIP}\n"));
	TS(lb, yaml("type: RoundRobin\n"));
	ES(lb, yaml("consistentHash: {type: SourceIP}\n"), "no such key: type");
	TS(preconnect, yaml("connection: {preconnect: {predictivePercent: 150}}\n"
	    "loadBalancer: {type: Random}\n"));
	FS(preconnect, yaml("connection: {preconnect: {predictivePercent: 150}}\n"
	    "loadBalancer: {type: LeastRequest}\n"));
	FS(preconnect, yaml("connection: {preconnect: {predictivePercent: 150}}\n"));
	TS(preconnect, yaml("connection: {bufferLimit: 1Ki}\n"));
	TS(outlier, yaml("[Failure, Success]"));
	FS(outlier, yaml("[Failure]"));
	TS(outlier, yaml("[]"));
	TS(method, yaml("method: post\nrequestBody: x\n"));
	FS(method, yaml("method: GET\nrequestBody: x\n"));
	FS(method, yaml("requestBody: x\n"));
	TS("self.all(r, !has(r.limit.fromMetadata))",
	    yaml("- limit: {requests: 10, unit: Second}\n"));
	FS("self.all(r, !has(r.limit.fromMetadata))",
	    yaml("- limit: {requests: 10, unit: Second, fromMetadata: {}}\n"));
	ES("self.all(r, !has(r.limit.fromMetadata))", yaml("- cost: {}\n"),
	    "no such key: limit");
	TS("self.end > self.start", yaml("start: 100\nend: 200\n"));
	FS("self.end > self.start", yaml("start: 200\nend: 200\n"));
	TS("self.numerator <= self.denominator", yaml("numerator: 1\ndenominator: 100\n"));
	FS("self != 'Replace'", yaml("Replace"));
	TS("(!has(self.type) || self.type == 'Inline')? has(self.inline) : true",
	    yaml("inline: x\n"));
	FS("(!has(self.type) || self.type == 'Inline')? has(self.inline) : true",
	    yaml("type: Inline\n"));
	TS("!has(self.maxRejectionPercent) || (self.maxRejectionPercent >= 0 && "
	    "self.maxRejectionPercent <= 100)", yaml("maxRejectionPercent: 100\n"));
	FS("!has(self.maxRejectionPercent) || (self.maxRejectionPercent >= 0 && "
	    "self.maxRejectionPercent <= 100)", yaml("maxRejectionPercent: 100.5\n"));
}

/*
 * Damaged rules (every rule cut at every byte, and every byte replaced by
 * characters that matter to the lexer) either compile or fail with a
 * message; what compiles evaluates to a result or an error.  Run under
 * ASan this finds what a parser should never do.
 */
TEST(crd_rules_mutated)
{
	static const char repl[] = { '(', '\'', '.', '[', '\\', '!' };
	struct node *self = yaml("type: HTTP\ntargetRefs: [{kind: HTTPRoute}]\n"
	    "timeout: 1s\ninterval: x\n");
	size_t i, j, k, len, compiled = 0, failed = 0, bad = 0;
	char *buf, *err;

	for (i = 0; i < ncrd_rules; i++) {
		/* the CRDs repeat rules: damage each distinct one once */
		for (j = 0; j < i; j++)
			if (strcmp(crd_rules[j], crd_rules[i]) == 0)
				break;
		if (j < i)
			continue;
		len = strlen(crd_rules[i]);
		buf = xmalloc(len + 1);
		for (j = 0; j < len; j++) {
			for (k = 0; k <= nitems(repl); k++) {
				struct cel_program *p;

				memcpy(buf, crd_rules[i], len + 1);
				if (k == nitems(repl))
					buf[j] = '\0';
				else
					buf[j] = repl[k];
				err = NULL;
				p = cel_compile(buf, &err);
				if (p == NULL) {
					failed++;
					if (err == NULL || err[0] == '\0')
						bad++;
				} else {
					compiled++;
					if (err != NULL)
						bad++;
					if (cel_eval_bool(p, self, &err) == CEL_ERROR &&
					    err == NULL)
						bad++;
					cel_program_free(p);
				}
				free(err);
			}
		}
		free(buf);
	}
	CHECK(compiled > 0);
	CHECK(failed > 0);
	CHECK_U64(bad, 0);
}

/* A program evaluated from several threads at once gives the same results. */
#include <pthread.h>

struct thr {
	const struct cel_program *p;
	const struct node *ok, *bad;
	int wrong;
};

static void *
thr_run(void *arg)
{
	struct thr *t = arg;
	char *err;
	int i;

	for (i = 0; i < 2000; i++) {
		err = NULL;
		if (cel_eval_bool(t->p, t->ok, &err) != CEL_TRUE)
			t->wrong++;
		free(err);
		err = NULL;
		if (cel_eval_bool(t->p, t->bad, &err) != CEL_ERROR ||
		    err == NULL || strcmp(err, "no such key: name") != 0)
			t->wrong++;
		free(err);
	}
	return NULL;
}

TEST(threads)
{
	struct cel_program *p;
	struct thr t[4];
	pthread_t th[4];
	char *err = NULL;
	int i;
	struct node *ok = yaml("name: web-1\nports: [80, 443]\n");
	struct node *bad = yaml("ports: [80]\n");

	p = cel_compile("self.ports.all(x, x > 0) && self.name.matches('^[a-z]+-[0-9]$') "
	    "&& self.ports.map(x, string(x)).join(',').size() > 0", &err);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	for (i = 0; i < 4; i++) {
		t[i].p = p;
		t[i].ok = ok;
		t[i].bad = bad;
		t[i].wrong = 0;
		pthread_create(&th[i], NULL, thr_run, &t[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(t[i].wrong, 0);
	}
	cel_program_free(p);
}

int
main(void)
{
	A = arena_new();
	diags_init(&D);
	RUN(literals);
	RUN(logic);
	RUN(comparisons);
	RUN(arithmetic);
	RUN(membership);
	RUN(selection);
	RUN(macros);
	RUN(strings);
	RUN(conversions);
	RUN(durations);
	RUN(lists);
	RUN(compile_errors);
	RUN(oldself);
	RUN(eval_string);
	RUN(crd_rules_compile);
	RUN(crd_rules_eval);
	RUN(crd_rules_mutated);
	RUN(threads);
	CHECK_INT(D.count[0] + D.count[1] + D.count[2], 0);
	diags_release(&D);
	arena_free(A);
	free(crd_rules);
	while (nsrcs > 0)
		source_free(srcs[--nsrcs]);
	free(srcs);
	return unit_done("test_cel");
}
