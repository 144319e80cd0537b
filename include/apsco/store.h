/*
 * apsco/store.h — the consortium's store: an embedded SQLite database with
 * the registry (states, agencies, stations, satellites, projects) and every
 * element set ever imported, ready on first run from the bundled dataset.
 *
 * The database is opened in WAL mode with foreign keys on, and its schema
 * carries a version (PRAGMA user_version) that apsco_store_open migrates
 * forward. Every write is one transaction: an import either lands whole or
 * leaves the database exactly as it was (malformed input, a disk error, a
 * killed process), and readers see the old or the new state, never a mix.
 *
 * Element sets are keyed by catalog number and epoch (to the microsecond):
 * history is kept, importing the same element set again changes nothing,
 * and the latest epoch of an object is the one used for propagation.
 *
 * States are named by ISO 3166-1 alpha-2 codes everywhere. A state's status
 * (member, signatory, observer) is recorded for the rights that depend on it.
 *
 * Not for inner loops: select a catalog once, then propagate from memory.
 * One apsco_store is used by one thread at a time; open one per thread.
 */
#ifndef APSCO_STORE_H
#define APSCO_STORE_H

#include <stddef.h>
#include <stdio.h>

#include "apsco/elements.h"
#include "apsco/error.h"
#include "apsco/plan.h"
#include "apsco/stations.h"

#ifdef __cplusplus
extern "C" {
#endif

#define APSCO_STORE_SCHEMA_VERSION 2 /* the version this library writes */

typedef struct apsco_store apsco_store;

enum apsco_store_flags {
    APSCO_STORE_READONLY = 1, /* open for reading only (no migration) */
    APSCO_STORE_CREATE = 2    /* create the file and its folder if missing */
};

/*
 * The default database path: $APSCO_DB, else $XDG_DATA_HOME/apsco/apsco.db,
 * else $HOME/.local/share/apsco/apsco.db. Errors: APSCO_ERR_ARG when none of
 * the variables is set or the path does not fit in `size` bytes.
 */
apsco_status apsco_store_default_path(char *buf, size_t size, apsco_error *err);

/*
 * Opens the database at `path`, creating it (and its folder) with
 * APSCO_STORE_CREATE, and brings its schema to APSCO_STORE_SCHEMA_VERSION
 * unless read-only. Waits up to 10 s for a writer that holds the lock.
 * Errors: APSCO_ERR_IO (cannot open, not a database, a schema newer than
 * this library, a failed migration), APSCO_ERR_NOMEM.
 */
apsco_status apsco_store_open(const char *path, int flags, apsco_store **out, apsco_error *err);

/* Closes the database. NULL is allowed. */
void apsco_store_close(apsco_store *store);

/* The schema version of the open database (0 for an empty read-only file). */
int apsco_store_schema_version(apsco_store *store);

/*
 * Explicit transactions, to group several writes into one atomic change.
 * Writes made outside begin/commit run each in their own transaction.
 * Errors: APSCO_ERR_IO (the database is busy beyond the timeout, or a
 * transaction is already open for begin / none for commit).
 */
apsco_status apsco_store_begin(apsco_store *store, apsco_error *err);
apsco_status apsco_store_commit(apsco_store *store, apsco_error *err);
void apsco_store_rollback(apsco_store *store);

/* ---- Registry ----------------------------------------------------------- */

#define APSCO_TEXT_MAX 128

typedef enum apsco_state_status {
    APSCO_STATUS_MEMBER = 1, /* schedules the pooled network */
    APSCO_STATUS_SIGNATORY,  /* signed the Convention, not ratified: reads */
    APSCO_STATUS_OBSERVER    /* reads */
} apsco_state_status;

/* "member", "signatory", "observer"; NULL for anything else. */
const char *apsco_state_status_name(apsco_state_status status);
/* The status named `name`, or 0. */
apsco_state_status apsco_state_status_parse(const char *name);

typedef struct apsco_state_record {
    char code[3];              /* ISO 3166-1 alpha-2, upper case */
    char name[APSCO_TEXT_MAX]; /* English short name */
    apsco_state_status status;
    char joined[11]; /* date the status began, YYYY-MM-DD */
} apsco_state_record;

typedef struct apsco_agency_record {
    char name[APSCO_TEXT_MAX];      /* short name, unique: "SUPARCO" */
    char state[3];                  /* owner state */
    char full_name[APSCO_TEXT_MAX]; /* "" when not known */
} apsco_agency_record;

/* Satellite classes: "light", "middle" (500-600 kg), "research", "remote_sensing", "telecom". */
int apsco_satellite_class_valid(const char *name);

typedef struct apsco_satellite_record {
    long norad;                  /* catalog number, the key */
    char name[APSCO_TEXT_MAX];   /* name as in the catalog */
    char agency[APSCO_TEXT_MAX]; /* owner agency (its short name) */
    char sat_class[16];          /* see apsco_satellite_class_valid */
    double mass_kg;              /* launch mass, kg; NaN when not known */
    char notes[256];
} apsco_satellite_record;

#define APSCO_PROJECT_STATES_MAX     32
#define APSCO_PROJECT_SATELLITES_MAX 64

typedef struct apsco_project_record {
    char name[APSCO_TEXT_MAX]; /* unique */
    char proj_class[16];       /* a satellite class, the project's kind */
    char description[256];
    int illustrative; /* non-zero for example projects that are not real */
    size_t state_count;
    char states[APSCO_PROJECT_STATES_MAX][3]; /* participating states */
    size_t satellite_count;
    long satellites[APSCO_PROJECT_SATELLITES_MAX]; /* catalog numbers in the registry */
} apsco_project_record;

/*
 * Insert or update one record, keyed by code / name / norad / name. The
 * references must exist (an agency's state, a satellite's agency, a
 * project's states and satellites): otherwise APSCO_ERR_VALUE naming the
 * missing one. Values are checked (code syntax, status, class, a date for
 * `joined`): APSCO_ERR_VALUE. A project's participant and satellite lists
 * are replaced as a whole.
 */
apsco_status apsco_store_put_state(apsco_store *store, const apsco_state_record *r,
                                   apsco_error *err);
apsco_status apsco_store_put_agency(apsco_store *store, const apsco_agency_record *r,
                                    apsco_error *err);
apsco_status apsco_store_put_satellite(apsco_store *store, const apsco_satellite_record *r,
                                       apsco_error *err);
apsco_status apsco_store_put_project(apsco_store *store, const apsco_project_record *r,
                                     apsco_error *err);

/*
 * Reads the states, optionally only those of `status` (0 for all), ordered
 * by code, into a new array `*out` of `*count` records (free() it).
 */
apsco_status apsco_store_get_states(apsco_store *store, apsco_state_status status,
                                    apsco_state_record **out, size_t *count, apsco_error *err);

/* ---- Imports ------------------------------------------------------------ */

typedef struct apsco_import_stats {
    size_t records;   /* element sets or stations offered */
    size_t added;     /* new to the store */
    size_t updated;   /* same key, different values: replaced */
    size_t unchanged; /* already there, identical */
    long import_id;   /* row in the import log; 0 when nothing changed */
} apsco_import_stats;

/*
 * Imports every element set of `catalog` in one transaction, recording
 * `source` (a file name or URL) in the import log when anything changed.
 * Errors: APSCO_ERR_IO (disk, lock); nothing is imported then.
 */
apsco_status apsco_store_import_catalog(apsco_store *store, const apsco_catalog *catalog,
                                        const char *source, apsco_import_stats *stats,
                                        apsco_error *err);

/*
 * Inserts or updates stations (keyed by id) in one transaction. Each
 * station's state must be in the registry, and its agency, when given, an
 * agency of that state: otherwise APSCO_ERR_VALUE naming the station and
 * its line, and nothing is imported.
 */
apsco_status apsco_store_import_stations(apsco_store *store, const apsco_station_list *stations,
                                         apsco_import_stats *stats, apsco_error *err);

/*
 * Loads the bundled dataset from `data_dir` in one transaction: the registry
 * (registry/states.csv, agencies.csv, satellites.csv, projects.csv), the
 * member network (stations.csv) and the element sets of the 2026 CelesTrak
 * snapshot (celestrak-active-2026-03-19.tle). Running it again changes
 * nothing. Errors name the file and line of the first problem.
 */
apsco_status apsco_store_load_defaults(apsco_store *store, const char *data_dir,
                                       apsco_import_stats *elsets, apsco_error *err);

/* ---- Selection ---------------------------------------------------------- */

/*
 * Which objects or records a query is about. Text filters hold one value or
 * a comma-separated list ("PK,TH"); NULL or "" means no filter. Filters are
 * combined with AND, the values of one filter with OR. Names (agencies,
 * projects) compare without regard to case; state codes may be lower case.
 */
typedef struct apsco_selection {
    const char *state;     /* owner state of a satellite / station / agency */
    const char *status;    /* status of that state: member, signatory, observer */
    const char *agency;    /* owner agency */
    const char *sat_class; /* satellite class */
    const char *project;   /* project the satellite belongs to */
    const long *norads;    /* catalog numbers, or NULL */
    size_t norad_count;    /* entries in norads */
    apsco_diag_fn diag;    /* told about selected satellites without elements; may be NULL */
    void *diag_ctx;
} apsco_selection;

/* True when the selection has a registry filter (state, status, agency, class, project). */
int apsco_selection_uses_registry(const apsco_selection *sel);

/*
 * Appends to `out` the latest element set (by epoch) of every selected
 * object, ordered by catalog number. Without registry filters every object
 * in the store is a candidate (registry or not); with them, only registry
 * satellites. `norads` restricts further, and each listed number must have
 * an element set. Registry satellites without any element set are reported
 * through sel->diag as APSCO_SKIPPED. `sel` may be NULL (everything).
 * Errors: APSCO_ERR_VALUE (an unknown state, agency, class, project or
 * status; a listed number without elements), APSCO_ERR_EMPTY (nothing
 * selected), APSCO_ERR_IO; `out` is left as it was on error.
 */
apsco_status apsco_store_select_catalog(apsco_store *store, const apsco_selection *sel,
                                        apsco_catalog *out, apsco_error *err);

/*
 * Appends the stations matching sel->state, sel->status and sel->agency to
 * `out`, ordered by id (the pooled network of the members is
 * {.status = "member"}). Errors as apsco_store_select_catalog.
 */
apsco_status apsco_store_select_stations(apsco_store *store, const apsco_selection *sel,
                                         apsco_station_list *out, apsco_error *err);

/*
 * Every element set of one object, oldest first. Errors: APSCO_ERR_VALUE
 * when the store holds none for `norad`.
 */
apsco_status apsco_store_history(apsco_store *store, long norad, apsco_catalog *out,
                                 apsco_error *err);

/*
 * What pooling the network means for the members: the pooled stations (all
 * members' stations) and, for each member state in code order, the latest
 * element sets of its satellites (empty for a member without any). This is
 * the store side of `make demo`: passes of each member's fleet over the
 * pooled network, and how many fall on other members' stations.
 */
typedef struct apsco_member_fleet {
    char state[3]; /* member state code */
    char name[APSCO_TEXT_MAX];
    apsco_catalog catalog; /* its satellites with elements */
} apsco_member_fleet;

typedef struct apsco_pooling {
    apsco_station_list stations; /* pooled network, ordered by id */
    size_t member_count;
    apsco_member_fleet *members;
} apsco_pooling;

/* Fills `out` from the store (free with apsco_pooling_free). Errors: APSCO_ERR_IO, NOMEM. */
apsco_status apsco_store_pooling(apsco_store *store, apsco_pooling *out, apsco_error *err);

/* Frees what apsco_store_pooling allocated. NULL is allowed. */
void apsco_pooling_free(apsco_pooling *pooling);

/* ---- Contact requests --------------------------------------------------- */

/*
 * The requests the scheduler serves (`apsco schedule --db` without a
 * requests file). A stored request has the fields of a request file: id,
 * state, norad, kind (contact), priority 1-5, min_duration_s, per_day or a
 * window (start, end; never both), and an optional list of allowed stations.
 * Requests are kept in the order they were submitted, the order first come,
 * first served follows. Cancelling a request marks it cancelled with the
 * time; it stays in the history (APSCO_LIST_REQUEST_HISTORY) and its id stays
 * taken, so that an id always names one request.
 */

/*
 * Adds every request of `requests` (their stations_first/stations_count
 * index requests->names, as apsco_plan_requests_add sets them) in one
 * transaction: all of them or none. Each request is checked as a request
 * file is, and against the store: its id is not taken (by an active or a
 * cancelled request), its state is in the registry and is a member state
 * (signatories and observers hold no right to the network), its satellite
 * is in the registry or has element sets, and every station it names is in
 * the store. Errors: APSCO_ERR_VALUE naming the request (and its source
 * line when it has one) and the reason; APSCO_ERR_IO.
 */
apsco_status apsco_store_add_requests(apsco_store *store, const apsco_plan_requests *requests,
                                      apsco_error *err);

/*
 * Cancels the request `id`, recording the time. Errors: APSCO_ERR_VALUE
 * when there is no such request or it was already cancelled; APSCO_ERR_IO.
 */
apsco_status apsco_store_cancel_request(apsco_store *store, const char *id, apsco_error *err);

/*
 * Appends the active (not cancelled) requests whose state matches
 * sel->state (NULL or sel->state NULL: all) to `out`, in the order they
 * were submitted, with their allowed stations. A database of schema 1 (no
 * requests yet) gives none. Errors: APSCO_ERR_VALUE (an unknown state in
 * the filter), APSCO_ERR_IO, APSCO_ERR_NOMEM; `out` is unchanged on error.
 */
apsco_status apsco_store_get_requests(apsco_store *store, const apsco_selection *sel,
                                      apsco_plan_requests *out, apsco_error *err);

/* ---- Listings ----------------------------------------------------------- */

typedef enum apsco_cell_kind {
    APSCO_CELL_NULL = 0,
    APSCO_CELL_INTEGER,
    APSCO_CELL_REAL,
    APSCO_CELL_TEXT
} apsco_cell_kind;

/* A rectangular result: column names and rows of cells, all held as text. */
typedef struct apsco_table {
    size_t columns, rows;
    char **names;         /* column names */
    char **cells;         /* rows * columns cells, row-major; NULL for a missing value */
    unsigned char *kinds; /* apsco_cell_kind of each cell */
} apsco_table;

typedef enum apsco_listing {
    APSCO_LIST_STATES = 1,     /* code, name, status, joined */
    APSCO_LIST_AGENCIES,       /* name, state, full_name, satellites, stations */
    APSCO_LIST_STATIONS,       /* id, name, state, agency, lat_deg, lon_deg, alt_m, min_el_deg,
                                  mask, antennas */
    APSCO_LIST_SATELLITES,     /* norad, name, state, agency, class, mass_kg, epoch, projects */
    APSCO_LIST_PROJECTS,       /* name, class, states, satellites, illustrative, description */
    APSCO_LIST_CATALOG,        /* norad, name, intldes, epoch, elsets, incl_deg, ecc,
                                  mean_motion_rev_day, period_min, registry */
    APSCO_LIST_IMPORTS,        /* id, source, imported_at, records, added, updated */
    APSCO_LIST_HISTORY,        /* norad, epoch, name, element_set_no, incl_deg, ecc,
                                  mean_motion_rev_day, source, imported_at: every element set
                                  of the selected objects, oldest first */
    APSCO_LIST_REQUESTS,       /* id, state, norad, kind, priority, min_duration_s, per_day,
                                  window_start, window_end, stations, status, submitted_at,
                                  cancelled_at: the active requests in submission order */
    APSCO_LIST_REQUEST_HISTORY /* the same columns for every request, cancelled ones too */
} apsco_listing;

/*
 * Fills `out` with a listing, filtered by the parts of `sel` that apply to
 * it (NULL for all): states by state/status; agencies and stations by
 * state/status/agency; satellites and the catalog as
 * apsco_store_select_catalog; projects by state (participant), class and
 * project; history by sel->norads (all objects when none); requests by
 * state (the requesting state). Lists inside a
 * cell are joined with ';'. Free with
 * apsco_table_free. Errors as apsco_store_select_catalog, except that an
 * empty listing is not an error.
 */
apsco_status apsco_store_list(apsco_store *store, apsco_listing what, const apsco_selection *sel,
                              apsco_table *out, apsco_error *err);

/* The cell at `row`, `column` (NULL for a missing value). */
const char *apsco_table_cell(const apsco_table *t, size_t row, size_t column);

typedef enum apsco_table_format {
    APSCO_TABLE_TEXT = 0, /* aligned columns for people, "-" for missing values */
    APSCO_TABLE_CSV,      /* header row and RFC 4180 rows, empty fields for missing values */
    APSCO_TABLE_JSON      /* an array of objects keyed by column name; numbers as numbers */
} apsco_table_format;

/* The format named "table", "csv" or "json"; -1 for anything else. */
int apsco_table_format_parse(const char *name);

/* Writes `t` to `out` in `format`. Errors: APSCO_ERR_IO when writing fails. */
apsco_status apsco_table_write(FILE *out, const apsco_table *t, apsco_table_format format,
                               apsco_error *err);

/* Frees what a listing allocated and resets `t`. NULL is allowed. */
void apsco_table_free(apsco_table *t);

#ifdef __cplusplus
}
#endif
#endif
