/*
 * schema_formats.c: the string formats the API server checks in a CRD
 * (byte, date, date-time, duration, uuid, ipv4, ipv6, cidr); any other
 * format is documentation only, for it as for btpctl.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "units.h"
#include "util.h"

static const struct {
	const char	*name;
	enum sformat	 f;
} formats[] = {
	{ "int32", SF_INT32 }, { "int64", SF_INT64 }, { "byte", SF_BYTE },
	{ "date-time", SF_DATETIME }, { "datetime", SF_DATETIME }, { "date", SF_DATE },
	{ "duration", SF_DURATION }, { "uuid", SF_UUID }, { "ipv4", SF_IPV4 },
	{ "ipv6", SF_IPV6 }, { "cidr", SF_CIDR },
};

enum sformat
schema_format(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(formats); i++)
		if (strcmp(formats[i].name, name) == 0)
			return formats[i].f;
	return SF_OTHER;
}

/* Standard base64 with padding; the API server's pattern refuses "". */
static bool
is_base64(const char *s, size_t n)
{
	size_t i, pad = 0;

	if (n == 0 || n % 4 != 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || !(isalnum(c) || c == '+' || c == '/'))
			return false;
	}
	return pad <= 2;
}

/* s matches t, where 'd' stands for a digit. */
static bool
shape(const char *s, const char *t)
{
	for (; *t; s++, t++) {
		if (*t == 'd' ? !isdigit((unsigned char)*s) : *s != *t)
			return false;
	}
	return true;
}

/* RFC 3339: 2006-01-02T15:04:05(.frac)?(Z|+07:00) */
static bool
is_datetime(const char *s)
{
	if (!shape(s, "dddd-dd-dd") || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !shape(s + 11, "dd:dd:dd"))
		return false;
	s += 19;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'Z' || *s == 'z')
		return s[1] == '\0';
	if (*s == '+' || *s == '-')
		return shape(s + 1, "dd:dd") && s[6] == '\0';
	return false;
}

/*
 * go-openapi's duration: Go's time.ParseDuration, or numbers with unit
 * words ("3 days", "1h 30m", "2w").
 */
static bool
is_duration(const char *s)
{
	static const char *const units[] = { "ns", "us", "\xc2\xb5s", "ms", "s", "sec", "secs",
	    "second", "seconds", "m", "min", "mins", "minute", "minutes", "h", "hr", "hrs",
	    "hour", "hours", "d", "day", "days", "w", "wk", "wks", "week", "weeks", NULL };
	int64_t ns;
	size_t i, l;
	bool any = false;

	if (units_go_duration(s, &ns))
		return true;
	while (*s) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
		while (isspace((unsigned char)*s))
			s++;
		for (l = 0; s[l] && !isspace((unsigned char)s[l]) && !isdigit((unsigned char)s[l]); l++)
			;
		for (i = 0; units[i] != NULL; i++)
			if (strlen(units[i]) == l && strncmp(units[i], s, l) == 0)
				break;
		if (units[i] == NULL)
			return false;
		s += l;
		any = true;
	}
	return any;
}

static bool
is_uuid(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

static bool
is_ip(const char *s, int af)
{
	unsigned char buf[16];

	return inet_pton(af, s, buf) == 1;
}

static bool
is_cidr(const char *s)
{
	char buf[64], *slash, *end;
	long bits;
	int v6;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	if ((slash = strchr(buf, '/')) == NULL)
		return false;
	*slash++ = '\0';
	v6 = strchr(buf, ':') != NULL;
	if (!is_ip(buf, v6 ? AF_INET6 : AF_INET) || !isdigit((unsigned char)*slash))
		return false;
	bits = strtol(slash, &end, 10);
	return *end == '\0' && bits >= 0 && bits <= (v6 ? 128 : 32);
}

bool
schema_format_ok(enum sformat f, const char *s, size_t n)
{
	if (f == SF_NONE || f == SF_OTHER || f == SF_INT32 || f == SF_INT64)
		return true;
	if (f != SF_BYTE && strlen(s) != n)
		return false;	/* a NUL inside */
	switch (f) {
	case SF_BYTE:
		return is_base64(s, n);
	case SF_DATETIME:
		return is_datetime(s);
	case SF_DATE:
		return shape(s, "dddd-dd-dd") && s[10] == '\0';
	case SF_DURATION:
		return is_duration(s);
	case SF_UUID:
		return is_uuid(s);
	case SF_IPV4:
		return is_ip(s, AF_INET);
	case SF_IPV6:
		return is_ip(s, AF_INET6);
	case SF_CIDR:
		return is_cidr(s);
	default:
		return true;
	}
}
