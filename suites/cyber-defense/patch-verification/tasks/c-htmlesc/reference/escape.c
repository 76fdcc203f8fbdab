#include <stdlib.h>
#include <string.h>

#include "escape.h"

static const char *entity_for(char c, int attr)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    case '`': return attr ? "&#96;" : NULL;
    default: return NULL;
    }
}

static char *escape(const char *s, int attr)
{
    size_t len = 0, specials = 0;
    const char *p;
    char *out, *q;

    for (p = s; *p; p++) {
        len++;
        if (entity_for(*p, attr) != NULL)
            specials++;
    }
    out = malloc(len + specials * 5 + 1);
    if (out == NULL)
        return NULL;
    for (p = s, q = out; *p; p++) {
        const char *ent = entity_for(*p, attr);
        if (ent != NULL) {
            size_t n = strlen(ent);
            memcpy(q, ent, n);
            q += n;
        } else {
            *q++ = *p;
        }
    }
    *q = '\0';
    return out;
}

char *html_escape(const char *s)
{
    return escape(s, 0);
}

char *html_escape_attr(const char *s)
{
    return escape(s, 1);
}
