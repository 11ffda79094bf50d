/*
 * seed.h: the spellings of the popular BTP description btpctl was created
 * from (shared/seed) that differ from upstream Envoy Gateway.  The API
 * server rejects them; btpctl reports each as an error that names the
 * upstream replacement (a fix-it), and effective and simulate read them by
 * their meaning.
 */
#ifndef BTPCTL_SEED_H
#define BTPCTL_SEED_H

struct diags;
struct object;

struct seed_fix {
	const char	*path;		/* API path, list items as "[]": "spec.retry.perRetryTimeout" */
	const char	*value;		/* for value spellings ("Maglev"), "" for a missing field, NULL for a field name */
	const char	*upstream;	/* the replacement: "spec.retry.perRetry.timeout" */
	const char	*why;		/* one line: what the description says and what upstream does */
};

/*
 * The fix for a spelling at path (list indexes written as "[]"), with
 * value NULL for a field name, the scalar text for a value, "" for a
 * missing required field.  NULL when the spelling is not the description's.
 */
const struct seed_fix	*seed_lookup(const char *path, const char *value);

#endif
