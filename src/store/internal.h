/*
 * internal.h — what the files of the store module share: the connection,
 * write scopes that nest inside an explicit transaction, and small SQLite
 * helpers that turn result codes into apsco_error.
 */
#ifndef APSCO_STORE_INTERNAL_H
#define APSCO_STORE_INTERNAL_H

#include <sqlite3.h>

#include "apsco/store.h"

struct apsco_store {
    sqlite3 *db;
    int readonly;
    int in_tx;     /* an explicit apsco_store_begin is open */
    int scope_seq; /* names nested savepoints */
};

/* Fills `err` with the connection's last SQLite message, prefixed by `what`. */
apsco_status store_sql_error(apsco_store *store, apsco_error *err, const char *what);

/* Runs SQL without results; returns APSCO_OK or APSCO_ERR_IO with the reason. */
apsco_status store_exec(apsco_store *store, const char *sql, apsco_error *err);

/* Prepares `sql`; returns APSCO_OK or APSCO_ERR_IO. */
apsco_status store_prepare(apsco_store *store, const char *sql, sqlite3_stmt **stmt,
                           apsco_error *err);

/*
 * A write scope: the outermost one is BEGIN IMMEDIATE ... COMMIT, inner ones
 * (inside apsco_store_begin or another scope) are savepoints, so that a
 * failed write undoes only itself and an outer transaction decides the rest.
 */
typedef struct store_scope {
    int outer;
    int id;
} store_scope;

apsco_status store_scope_begin(apsco_store *store, store_scope *scope, apsco_error *err);
/* Commits (ok) or undoes the scope; returns `status`, or the commit's error. */
apsco_status store_scope_end(apsco_store *store, store_scope *scope, apsco_status status,
                             apsco_error *err);

/* SQL text under construction with its text parameters (copies of filter values). */
#define STORE_QUERY_MAX  8192
#define STORE_PARAMS_MAX 256
typedef struct store_query {
    char sql[STORE_QUERY_MAX];
    size_t len;
    int overflow;
    int nparams;
    char *params[STORE_PARAMS_MAX];
} store_query;

void store_q_add(store_query *q, const char *text);
void store_q_free(store_query *q);
/* Prepares the query and binds its parameters; APSCO_ERR_LIMIT if it overflowed. */
apsco_status store_q_prepare(store_query *q, apsco_store *store, sqlite3_stmt **stmt,
                             apsco_error *err);

typedef enum store_filter {
    STORE_FILTER_STATE,
    STORE_FILTER_STATUS,
    STORE_FILTER_AGENCY,
    STORE_FILTER_CLASS,
    STORE_FILTER_PROJECT
} store_filter;

/*
 * Appends " AND <expr> IN (?, …)" for the comma-separated values of `list`
 * (nothing when it is NULL or empty), each checked to exist in the registry.
 */
apsco_status store_q_filter(store_query *q, apsco_store *store, const char *expr, const char *list,
                            store_filter kind, apsco_error *err);

/*
 * Appends the conditions that restrict catalog numbers in `column` to the
 * selection: its registry filters and its list of numbers.
 */
apsco_status store_q_objects(store_query *q, apsco_store *store, const apsco_selection *sel,
                             const char *column, apsco_error *err);

/* Microseconds since 1970-01-01T00:00:00 UTC of a UTC instant: the key of an epoch. */
long long store_epoch_us(apsco_time t);

/* Copies `src` (may be NULL) into `dst` of `size` bytes, cut to fit. */
void store_copy(char *dst, size_t size, const char *src);

/* Upper-cases a two-letter state code in place. */
void store_upper(char *s);

#endif
