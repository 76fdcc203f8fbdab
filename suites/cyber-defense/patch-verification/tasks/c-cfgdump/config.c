#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

void config_init(struct config *cfg)
{
    cfg->head = NULL;
}

/* Copies [start, end) with leading and trailing blanks removed. */
static char *dup_trimmed(const char *start, const char *end)
{
    char *s;

    while (start < end && isblank((unsigned char)*start))
        start++;
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    s = malloc((size_t)(end - start) + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, start, (size_t)(end - start));
    s[end - start] = '\0';
    return s;
}

static int valid_key(const char *key)
{
    size_t n = strlen(key), i;

    if (n == 0 || n > 64)
        return 0;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)key[i]) && strchr("_.-", key[i]) == NULL)
            return 0;
    return 1;
}

static struct config_entry *find(const struct config *cfg, const char *key)
{
    struct config_entry *e;

    for (e = cfg->head; e != NULL; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

int config_parse_line(struct config *cfg, const char *line)
{
    const char *p = line, *eq;
    char *key = NULL, *value = NULL;
    struct config_entry *e, **tail;

    while (isspace((unsigned char)*p))
        p++;
    if (*p == '\0' || *p == '#')
        return 0;
    eq = strchr(p, '=');
    if (eq == NULL)
        return -1;
    key = dup_trimmed(p, eq);
    value = dup_trimmed(eq + 1, eq + 1 + strlen(eq + 1));
    if (key == NULL || value == NULL)
        goto fail;
    if (!valid_key(key)) {
        free(key);
        goto fail;
    }
    e = find(cfg, key);
    if (e != NULL) {
        free(e->value);
        e->value = value;
        free(key);
        return 0;
    }
    e = malloc(sizeof(*e));
    if (e == NULL)
        goto fail;
    e->key = key;
    e->value = value;
    e->next = NULL;
    for (tail = &cfg->head; *tail != NULL; tail = &(*tail)->next)
        ;
    *tail = e;
    return 0;
fail:
    free(key);
    free(value);
    return -1;
}

const char *config_get(const struct config *cfg, const char *key)
{
    const struct config_entry *e = find(cfg, key);

    return e != NULL ? e->value : NULL;
}

void config_free(struct config *cfg)
{
    struct config_entry *e, *next;

    for (e = cfg->head; e != NULL; e = next) {
        next = e->next;
        free(e->key);
        free(e->value);
        free(e);
    }
    cfg->head = NULL;
}
