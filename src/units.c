/*
 * units.c: parse the value syntaxes of the BTP API (see units.h): Gateway
 * API durations, Go durations and Kubernetes quantities, each to an exact
 * int64 with overflow detection.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "units.h"

#define NS_PER_MS	INT64_C(1000000)
#define NS_PER_S	INT64_C(1000000000)

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * ^([0-9]{1,5}(h|m|s|ms)){1,4}$.  After the digits, "ms" is always read
 * as one unit: "s" alone cannot start a group, so the regex has no other
 * way to match it.  Four groups of at most 99999h stay far below int64.
 */
bool
units_gwapi_duration(const char *s, int64_t *ns)
{
	int64_t total = 0, v, unit;
	int groups = 0, ndig;

	if (s == NULL || *s == '\0')
		return false;
	while (*s != '\0') {
		if (++groups > 4)
			return false;
		v = 0;
		for (ndig = 0; is_digit(*s); ndig++, s++) {
			if (ndig == 5)
				return false;
			v = v * 10 + (*s - '0');
		}
		if (ndig == 0)
			return false;
		if (s[0] == 'h') {
			unit = 3600 * NS_PER_S;
			s++;
		} else if (s[0] == 'm' && s[1] == 's') {
			unit = NS_PER_MS;
			s += 2;
		} else if (s[0] == 'm') {
			unit = 60 * NS_PER_S;
			s++;
		} else if (s[0] == 's') {
			unit = NS_PER_S;
			s++;
		} else
			return false;
		total += v * unit;
	}
	if (ns != NULL)
		*ns = total;
	return true;
}

static const struct {
	const char	*name;
	uint64_t	 ns;
} go_units[] = {
	{ "ns", 1 },
	{ "us", 1000 },
	{ "\xc2\xb5s", 1000 },		/* U+00B5 micro sign */
	{ "\xce\xbcs", 1000 },		/* U+03BC Greek small letter mu */
	{ "ms", 1000000 },
	{ "s", 1000000000 },
	{ "m", UINT64_C(60) * 1000000000 },
	{ "h", UINT64_C(3600) * 1000000000 },
};

#define GO_LIMIT	(UINT64_C(1) << 63)

/*
 * time.ParseDuration: [-+]?([0-9]*(\.[0-9]*)?unit)+ or "0", with Go's
 * arithmetic: integer parts exact, fractions scaled through a double,
 * every step checked against 2^63.
 */
bool
units_go_duration(const char *s, int64_t *ns)
{
	uint64_t d = 0, v, f, unit;
	double scale;
	bool neg = false, pre, post, fover;
	size_t ulen, i;

	if (s == NULL)
		return false;
	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (strcmp(s, "0") == 0) {
		if (ns != NULL)
			*ns = 0;
		return true;
	}
	if (*s == '\0')
		return false;
	while (*s != '\0') {
		v = 0;
		pre = is_digit(*s);
		for (; is_digit(*s); s++) {
			if (v > GO_LIMIT / 10)
				return false;
			v = v * 10 + (uint64_t)(*s - '0');
			if (v > GO_LIMIT)
				return false;
		}
		f = 0;
		scale = 1;
		post = false;
		if (*s == '.') {
			s++;
			post = is_digit(*s);
			fover = false;
			for (; is_digit(*s); s++) {
				if (fover)
					continue;
				if (f > (GO_LIMIT - 1) / 10) {
					fover = true;
					continue;
				}
				f = f * 10 + (uint64_t)(*s - '0');
				if (f > GO_LIMIT) {
					fover = true;
					continue;
				}
				scale *= 10;
			}
		}
		if (!pre && !post)
			return false;
		for (ulen = 0; s[ulen] != '\0' && s[ulen] != '.' &&
		    !is_digit(s[ulen]); ulen++)
			;
		if (ulen == 0)
			return false;
		unit = 0;
		for (i = 0; i < sizeof(go_units) / sizeof(go_units[0]); i++)
			if (strlen(go_units[i].name) == ulen &&
			    memcmp(go_units[i].name, s, ulen) == 0)
				unit = go_units[i].ns;
		if (unit == 0)
			return false;
		s += ulen;
		if (v > GO_LIMIT / unit)
			return false;
		v *= unit;
		if (f > 0) {
			v += (uint64_t)((double)f * ((double)unit / scale));
			if (v > GO_LIMIT)
				return false;
		}
		d += v;
		if (d > GO_LIMIT)
			return false;
	}
	if (neg) {
		if (ns != NULL)
			*ns = d == GO_LIMIT ? INT64_MIN : -(int64_t)d;
		return true;
	}
	if (d > GO_LIMIT - 1)
		return false;
	if (ns != NULL)
		*ns = (int64_t)d;
	return true;
}

/*
 * Quantities.  The number is taken as a string of significant digits D
 * with a decimal exponent; the value is D * mult * 10^exp10 where mult is
 * the binary suffix (1024^k, or 1).  D * mult is computed exactly as a
 * decimal digit string, then shifted by exp10; digits shifted out round
 * the result up (away from zero), as Quantity.Value() does.
 */

#define QTY_MAXDIGITS	19	/* INT64_MAX has 19 digits */

/* digits (most significant first) *= m, in place; returns the new length. */
static size_t
dec_mul(char *dig, size_t n, size_t cap, uint64_t m, bool *room)
{
	uint64_t carry = 0, x;
	size_t i, extra;
	char tmp[24];

	for (i = n; i-- > 0;) {
		x = (uint64_t)(dig[i] - '0') * m + carry;
		dig[i] = (char)('0' + x % 10);
		carry = x / 10;
	}
	extra = 0;
	while (carry > 0) {
		tmp[extra++] = (char)('0' + carry % 10);
		carry /= 10;
	}
	if (n + extra > cap) {
		*room = false;
		return n;
	}
	memmove(dig + extra, dig, n);
	for (i = 0; i < extra; i++)
		dig[i] = tmp[extra - 1 - i];
	return n + extra;
}

bool
units_quantity(const char *s, int64_t *value)
{
	const char *p, *ip, *fp;
	size_t ilen, flen, n, keep, i;
	int64_t exp10 = 0, e;
	uint64_t mult = 1, r;
	bool neg = false, esign = false, room = true, sticky = false;
	char *dig;
	char buf[512];

	if (s == NULL || *s == '\0')
		return false;
	p = s;
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	ip = p;
	while (is_digit(*p))
		p++;
	ilen = (size_t)(p - ip);
	fp = p;
	flen = 0;
	if (*p == '.') {
		fp = ++p;
		while (is_digit(*p))
			p++;
		flen = (size_t)(p - fp);
	}
	if (ilen + flen == 0)
		return false;

	/* Suffix. */
	if (*p != '\0' && p[1] == 'i' && p[2] == '\0') {
		switch (*p) {
		case 'K': mult = UINT64_C(1) << 10; break;
		case 'M': mult = UINT64_C(1) << 20; break;
		case 'G': mult = UINT64_C(1) << 30; break;
		case 'T': mult = UINT64_C(1) << 40; break;
		case 'P': mult = UINT64_C(1) << 50; break;
		case 'E': mult = UINT64_C(1) << 60; break;
		default: return false;
		}
	} else if (*p == 'E' && p[1] == '\0') {
		exp10 = 18;			/* exa */
	} else if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-') {
			esign = *p == '-';
			p++;
		}
		if (!is_digit(*p))
			return false;
		for (e = 0; is_digit(*p); p++) {
			e = e * 10 + (*p - '0');
			if (e > INT32_MAX)
				return false;
		}
		if (*p != '\0')
			return false;
		exp10 = esign ? -e : e;
	} else if (*p != '\0') {
		if (p[1] != '\0')
			return false;
		switch (*p) {
		case 'n': exp10 = -9; break;
		case 'u': exp10 = -6; break;
		case 'm': exp10 = -3; break;
		case 'k': exp10 = 3; break;
		case 'M': exp10 = 6; break;
		case 'G': exp10 = 9; break;
		case 'T': exp10 = 12; break;
		case 'P': exp10 = 15; break;
		default: return false;
		}
	}

	/* Significant digits, leading zeros dropped. */
	exp10 -= (int64_t)flen;
	dig = buf;
	n = 0;
	for (i = 0; i < ilen + flen; i++) {
		char c = i < ilen ? ip[i] : fp[i - ilen];

		if (n == 0 && c == '0')
			continue;
		if (n == sizeof(buf) - 24) {
			/* Too many digits to keep: the rest only round. */
			if (c != '0')
				sticky = true;
			exp10++;
			continue;
		}
		dig[n++] = c;
	}
	if (n == 0 && !sticky) {
		if (value != NULL)
			*value = 0;
		return true;
	}
	if (mult > 1)
		n = dec_mul(dig, n, sizeof(buf), mult, &room);
	if (!room)
		return false;

	/* Shift by exp10: keep the first n + exp10 digits. */
	if (exp10 >= 0) {
		if ((int64_t)n + exp10 > QTY_MAXDIGITS)
			return false;
		keep = n;
	} else if ((int64_t)n + exp10 <= 0) {
		keep = 0;
		sticky = sticky || n > 0;
	} else {
		keep = (size_t)((int64_t)n + exp10);
		for (i = keep; i < n; i++)
			if (dig[i] != '0')
				sticky = true;
	}
	if (keep > QTY_MAXDIGITS)
		return false;
	r = 0;
	for (i = 0; i < keep; i++)
		r = r * 10 + (uint64_t)(dig[i] - '0');
	for (e = 0; exp10 > 0 && e < exp10; e++)
		r *= 10;
	if (sticky)
		r++;
	if (r > (uint64_t)INT64_MAX)
		return false;
	if (value != NULL)
		*value = neg ? -(int64_t)r : (int64_t)r;
	return true;
}
