#ifndef STORE_H
#define STORE_H

#include <stdio.h>

struct session {
    int id;
    char user[32];
    struct session *next;
};

struct store {
    struct session *head;    /* all open sessions, most recent first */
    struct session *current; /* the active session, or NULL */
    int next_id;             /* starts at 1 */
};

void store_init(struct store *st);
/* Opens a session for user (1..31 bytes) and makes it current.
 * Returns its id, or -1 if the name is invalid or memory is exhausted. */
int store_login(struct store *st, const char *user);
/* Makes session id current.  Returns 0, or -1 if there is no such session. */
int store_switch(struct store *st, int id);
/* Closes session id.  Returns 0, or -1 if there is no such session.
 * If it was the current session, no session is current afterwards. */
int store_logout(struct store *st, int id);
/* The user of the current session, or NULL if there is none. */
const char *store_whoami(const struct store *st);
/* Prints "ID USER" for every open session, oldest first. */
void store_list(const struct store *st, FILE *out);
void store_clear(struct store *st);

#endif
