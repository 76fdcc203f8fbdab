#ifndef CONFIG_H
#define CONFIG_H

struct config_entry {
    char *key;
    char *value;
    struct config_entry *next;
};

struct config {
    struct config_entry *head; /* in order of first definition */
};

void config_init(struct config *cfg);
/*
 * Parses one line of a config file.  Blank lines and lines whose first
 * non-blank character is '#' are ignored.  Other lines must have the form
 *     key = value
 * where the key (surrounding blanks removed) is 1..64 characters from
 * [A-Za-z0-9_.-] and the value is the rest of the line with surrounding
 * blanks removed (it may be empty).  A later definition of a key replaces the
 * earlier value.  Returns 0 on success and -1 if the line is invalid or
 * memory is exhausted; on failure the configuration is unchanged.
 */
int config_parse_line(struct config *cfg, const char *line);
/* The value of key, or NULL. */
const char *config_get(const struct config *cfg, const char *key);
void config_free(struct config *cfg);

#endif
