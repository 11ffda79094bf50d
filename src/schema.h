/*
 * schema.h: the BackendTrafficPolicy CRD compiled into an in-memory schema
 * graph, and the API server's verdict on an object, offline.
 *
 * schema_load_*() read a CRD (an embedded release, a file or a URL) and
 * compile its openAPIV3Schema once: types, formats, enums, patterns (pcre2,
 * JIT), bounds, lengths, item counts, required fields, properties, maps,
 * list types, defaults and every x-kubernetes-validations rule (through
 * cel.h).  A compiled schema is immutable: any number of threads may
 * validate against it at once.
 *
 * schema_validate() runs the API server's pipeline on one object (see
 * docs/apiserver-semantics.md): unknown fields (reported, then pruned, so
 * that the remaining checks still run), nulls dropped, defaults applied,
 * OpenAPI validation, list-type uniqueness, then the CEL rules unless an
 * error that blocks them exists.  Every problem becomes a diagnostic in the
 * API server's words with code "schema" or "cel" and the location of the
 * offending node.
 */
#ifndef BTPCTL_SCHEMA_H
#define BTPCTL_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct diags;
struct node;
struct object;
struct source;
struct strbuf;
struct cel_program;

enum stype {
	ST_OBJECT	= 1 << 0,
	ST_ARRAY	= 1 << 1,
	ST_STRING	= 1 << 2,
	ST_INTEGER	= 1 << 3,
	ST_NUMBER	= 1 << 4,
	ST_BOOLEAN	= 1 << 5,
};

enum sformat {
	SF_NONE,
	SF_INT32,
	SF_INT64,
	SF_BYTE,
	SF_DATETIME,
	SF_DATE,
	SF_DURATION,
	SF_UUID,
	SF_IPV4,
	SF_IPV6,
	SF_CIDR,
	SF_OTHER,	/* a format the API server does not check either */
};

/* The format named name (SF_OTHER when the API server does not check it). */
enum sformat	 schema_format(const char *name);
/* Whether the string s[0..n) is valid for a string format (true for SF_NONE, SF_OTHER, ints). */
bool		 schema_format_ok(enum sformat, const char *s, size_t n);

enum slist {
	SL_ATOMIC,
	SL_SET,
	SL_MAP,
};

/* One x-kubernetes-validations rule. */
struct srule {
	const char	*rule;
	const char	*message;		/* NULL: "failed rule: <rule>" */
	const char	*message_expression;	/* or NULL */
	const char	*field_path;		/* ".x.y" relative to the node, or NULL */
	const char	*reason;		/* FieldValueInvalid (default), ...Forbidden, ...Required, ...Duplicate */
	struct cel_program *prog;		/* NULL when the schema was loaded without CEL */
	struct cel_program *msg_prog;
	bool		 transition;		/* uses oldSelf: cannot run offline */
	int		 id;			/* index in schema->rules */
	const char	*where;			/* schema path of the node it sits on */
};

struct sprop;

/* One node of the schema graph. */
struct snode {
	const char	*path;		/* "spec.retry.perRetry", items as "[]", map values as "[*]" */
	unsigned	 types;		/* enum stype bits; 0 = any */
	bool		 int_or_string;
	bool		 nullable;
	bool		 preserve_unknown;
	enum sformat	 format;
	const char	*format_name;
	const struct node *enum_vals;	/* NODE_SEQ of allowed values, or NULL */
	const char	*pattern;
	void		*re;		/* pcre2_code_8 * */
	bool		 has_min, has_max, excl_min, excl_max;
	double		 min, max;
	int64_t		 min_length, max_length, min_items, max_items;
	int64_t		 min_props, max_props;	/* -1 when unset */
	const char	**required;
	size_t		 nrequired;
	struct sprop	*props;		/* sorted by name */
	size_t		 nprops;
	bool		 has_props;
	uint16_t	*hslots;	/* open-addressing hash of props: index + 1, 0 empty */
	uint32_t	 hmask;
	const struct sprop **defaults;	/* the props that have a default */
	size_t		 ndefaults;
	struct snode	*additional;	/* additionalProperties schema (maps) */
	struct snode	*items;
	struct snode	**all_of, **any_of, **one_of;
	size_t		 nall_of, nany_of, none_of;
	enum slist	 list_type;
	const char	**map_keys;
	size_t		 nmap_keys;
	const struct node *dflt;	/* default value, or NULL */
	struct srule	*rules;
	size_t		 nrules;
	const char	*description;
};

struct sprop {
	const char	*name;
	struct snode	*s;
};

struct schema {
	struct arena	*arena;		/* the graph, the CRD's node tree, strings */
	char		*name;		/* "v1.9.0", or the file or URL */
	char		*text;		/* the CRD text (the node tree points into it) */
	struct source	*src;
	struct snode	*root;		/* openAPIV3Schema */
	struct srule	**rules;	/* every rule, in CRD order */
	size_t		 nrules;
	size_t		 ntransition;	/* rules skipped offline */
	bool		 with_cel;
};

/* The embedded releases: "v1.9" (default) and "v1.8"; NULL ends. */
extern const char *const schema_versions[];

enum {
	SCHEMA_NO_CEL = 1 << 0,	/* do not compile rules (explain only needs their text) */
	SCHEMA_OFFLINE = 1 << 1,	/* a CRD URL is read from the fetch cache only */
};

/*
 * Load the embedded CRD of api_version ("v1.9", "v1.9.0", "1.9", or NULL
 * for the newest).  NULL with an error diagnostic (code "schema") when the
 * version is unknown or the CRD does not compile.
 */
struct schema	*schema_load_embedded(const char *api_version, unsigned flags,
		    struct diags *);
/* Load a CRD file or http(s) URL (fetch.h; SCHEMA_OFFLINE: the cache only). */
struct schema	*schema_load_path(const char *path, unsigned flags, struct diags *);
/* Compile CRD text (taken over; heap).  name names it in messages. */
struct schema	*schema_load_text(const char *name, char *text, size_t len,
		    unsigned flags, struct diags *);
void		 schema_free(struct schema *);

/* Per-rule outcome counts, for tests that measure rule coverage. */
struct schema_stats {
	unsigned	*pass;		/* indexed by srule.id; nrules entries */
	unsigned	*fail;
};

/*
 * Scratch space for schema_validate(), reused from one call to the next:
 * one per thread.  Optional: without it every call makes its own.
 */
struct schema_scratch;
struct schema_scratch	*schema_scratch_new(void);
void			 schema_scratch_free(struct schema_scratch *);

struct schema_opts {
	bool		 verbose;	/* info diagnostics for skipped transition rules */
	struct schema_stats *stats;	/* or NULL; not thread-safe when set */
	struct schema_scratch *scratch;	/* or NULL; never shared between threads */
};

/* Hash of a property name, as the props hash table uses it. */
static inline uint32_t
schema_name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/*
 * Validate one BackendTrafficPolicy object.  Records diagnostics in out
 * (with object and API path set); returns the number of errors.  Uses only
 * a private arena: safe to call from several threads on one schema.
 */
int		 schema_validate(const struct schema *, const struct object *,
		    struct diags *out, const struct schema_opts *);

/*
 * The schema node at an API path ("spec.retry.numRetries", list items as
 * "[]" or "[0]"; a path not starting at the root is tried relative to
 * spec).  NULL when there is no such field.
 */
const struct snode *schema_lookup(const struct schema *, const char *path);
/* The type as kubectl explain names it: "<string>", "<[]Object>", "<map[string]string>"... */
void		 schema_type_name(const struct snode *, struct strbuf *);

/*
 * metadata.labels and metadata.annotations as the API server checks them
 * (keys, values, total annotation size, non-string values).  Code
 * "schema".  Returns the number of errors.  schema_validate() calls it.
 */
int		 schema_check_metadata(const struct object *, struct diags *);

/*
 * Envoy Gateway translator checks (docs/upstream-api.md section b2): what
 * passes admission but makes Envoy Gateway reject the policy and answer
 * 500 on its routes.  Code "translate".  Returns the number of errors.
 */
int		 schema_translate_checks(const struct object *, struct diags *);

/*
 * For commands (defined in cmd_validate.c; prints, so not library code):
 * load the schema --crd or --api-version names, printing the diagnostics
 * and setting *rc (2 usage or CRD error, 3 unreadable) when it fails.
 */
struct cli;
struct schema	*cmd_load_schema(const struct cli *, const char *crd, const char *apiv,
		    bool offline, unsigned flags, int *rc);

#endif
