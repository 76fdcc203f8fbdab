#include <stdlib.h>
#include <string.h>

#include "store.h"

void store_init(struct store *st)
{
    st->head = NULL;
    st->current = NULL;
    st->next_id = 1;
}

static struct session *find(const struct store *st, int id)
{
    struct session *s;

    for (s = st->head; s != NULL; s = s->next)
        if (s->id == id)
            return s;
    return NULL;
}

int store_login(struct store *st, const char *user)
{
    size_t n = strlen(user);
    struct session *s;

    if (n == 0 || n >= sizeof(s->user))
        return -1;
    s = malloc(sizeof(*s));
    if (s == NULL)
        return -1;
    s->id = st->next_id++;
    memcpy(s->user, user, n + 1);
    s->next = st->head;
    st->head = s;
    st->current = s;
    return s->id;
}

int store_switch(struct store *st, int id)
{
    struct session *s = find(st, id);

    if (s == NULL)
        return -1;
    st->current = s;
    return 0;
}

int store_logout(struct store *st, int id)
{
    struct session **pp, *s;

    for (pp = &st->head; (s = *pp) != NULL; pp = &s->next) {
        if (s->id == id) {
            *pp = s->next;
            if (st->current == s)
                st->current = NULL;
            free(s);
            return 0;
        }
    }
    return -1;
}

const char *store_whoami(const struct store *st)
{
    return st->current != NULL ? st->current->user : NULL;
}

static void list_from(const struct session *s, FILE *out)
{
    if (s == NULL)
        return;
    list_from(s->next, out);
    fprintf(out, "%d %s\n", s->id, s->user);
}

void store_list(const struct store *st, FILE *out)
{
    list_from(st->head, out);
}

void store_clear(struct store *st)
{
    struct session *s, *next;

    for (s = st->head; s != NULL; s = next) {
        next = s->next;
        free(s);
    }
    store_init(st);
}
