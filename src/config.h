/*
 * config.h: the project configuration file .btpctl.yaml (btpctl.yaml(5)).
 *
 *   apiVersion: v1.9            # Envoy Gateway API version to check against
 *   rules:                      # per rule: off, error, warning or info
 *     BTP012: off
 *     BTP020: error
 *   ignore:                     # paths or globs, relative to the file's directory
 *     - vendor/
 *     - "charts/old-*.yaml"
 *
 * Found by --config FILE, else .btpctl.yaml or .btpctl.yml in the current
 * directory or the nearest parent that has one.
 */
#ifndef BTPCTL_CONFIG_H
#define BTPCTL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diags;
struct lint_conf;
struct source;

struct config_rule {
	const char	*id;		/* the rule's id */
	int		 level;		/* LINT_OFF or enum severity */
};

struct btp_config {
	char			*path;		/* the file read; NULL when none was found */
	char			*dir;		/* its directory, absolute */
	struct config_rule	*rules;
	size_t			 nrules;
	char			**ignore;
	size_t			 nignore;
	char			*api_version;	/* "v1.9", or NULL */
	struct source		*src;		/* kept for diagnostics */
	struct arena		*arena;
};

void	config_init(struct btp_config *);
void	config_release(struct btp_config *);
/*
 * Read `explicit` (when not NULL) or the file found upward from the
 * current directory.  Returns 0 (also when no file exists), 3 when an
 * explicit file cannot be read, or 2 when the file is invalid; problems
 * are located diagnostics in d (which must be rendered before
 * config_release()).
 */
int	config_load(struct btp_config *, const char *explicit, struct diags *d);
/* Set the rule levels the file names. */
void	config_apply(const struct btp_config *, struct lint_conf *);
/* Does an ignore entry match this input path? */
bool	config_ignored(const struct btp_config *, const char *path);

#endif
