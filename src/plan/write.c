/*
 * write.c — the schedule as text: CSV (one contact a line, the header the
 * issue fixes), JSON (one object with contacts, per-state shares, value,
 * bound, gap, solver, time and refusals) and iCalendar (RFC 5545: one
 * VEVENT per contact, stable UIDs, folded lines, CRLF).
 *
 * Writers format; they compute nothing. Times are UTC to the second.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "apsco/export.h"
#include "plan/internal.h"

static apsco_status io_status(FILE *out, apsco_error *err)
{
    if (fflush(out) != 0 || ferror(out))
        return apsco_error_set(err, APSCO_ERR_IO, NULL, 0, "write error");
    return APSCO_OK;
}

/* "YYYY-MM-DDTHH:MM:SSZ" */
static void iso(apsco_time t, char *buf, size_t size)
{
    apsco_time_format_iso(t, 0, buf, size);
}

apsco_status apsco_schedule_write_csv(FILE *out, const apsco_plan_problem *problem,
                                      const apsco_schedule *schedule, apsco_error *err)
{
    fputs("request,state,norad,station,start_utc,end_utc,priority\n", out);
    for (size_t i = 0; i < schedule->contact_count; i++) {
        const apsco_plan_contact *c = &schedule->contacts[i];
        const apsco_plan_request *r = &problem->requests->items[c->request];
        char a[40], b[40];
        iso(c->start, a, sizeof a);
        iso(c->end, b, sizeof b);
        apsco_export_csv_field(out, r->id);
        fprintf(out, ",%s,%ld,", r->state, r->norad);
        apsco_export_csv_field(out, problem->stations[c->station].id);
        fprintf(out, ",%s,%s,%d\n", a, b, r->priority);
    }
    return io_status(out, err);
}

/* ---------------------------------------------------------------- JSON */

/* A finite number with at most `decimals` digits after the point, or null. */
static void json_number(FILE *out, double v, int decimals)
{
    if (!isfinite(v)) {
        fputs("null", out);
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    if (strchr(buf, '.')) {
        size_t n = strlen(buf);
        while (buf[n - 1] == '0')
            buf[--n] = '\0';
        if (buf[n - 1] == '.')
            buf[--n] = '\0';
    }
    fputs(strcmp(buf, "-0") ? buf : "0", out);
}

static void json_contacts(FILE *out, const apsco_plan_problem *p, const apsco_schedule *s)
{
    fputs("{\"contacts\": [", out);
    for (size_t i = 0; i < s->contact_count; i++) {
        const apsco_plan_contact *c = &s->contacts[i];
        const apsco_plan_request *r = &p->requests->items[c->request];
        char a[40], b[40];
        iso(c->start, a, sizeof a);
        iso(c->end, b, sizeof b);
        fputs(i ? ",\n  {\"request\": " : "\n  {\"request\": ", out);
        apsco_export_json_string(out, r->id);
        fprintf(out, ", \"state\": \"%s\", \"norad\": %ld, \"station\": ", r->state, r->norad);
        apsco_export_json_string(out, p->stations[c->station].id);
        fprintf(out, ", \"start_utc\": \"%s\", \"end_utc\": \"%s\", \"priority\": %d}", a, b,
                r->priority);
    }
    fputs(s->contact_count ? "\n],\n" : "],\n", out);
}

apsco_status apsco_schedule_write_json(FILE *out, const apsco_plan_problem *problem,
                                       const apsco_schedule *schedule, apsco_error *err)
{
    json_contacts(out, problem, schedule);
    fputs("\"states\": [", out);
    for (size_t i = 0; i < schedule->state_count; i++) {
        const apsco_plan_share *sh = &schedule->states[i];
        fprintf(out, "%s{\"state\": \"%s\", \"requested_s\": ", i ? ",\n  " : "\n  ", sh->state);
        json_number(out, sh->requested_s, 3);
        fputs(", \"granted_s\": ", out);
        json_number(out, sh->granted_s, 3);
        fputs(", \"entitlement\": ", out);
        json_number(out, sh->entitlement, 6);
        fputs(", \"share\": ", out);
        json_number(out, sh->share, 6);
        fputc('}', out);
    }
    fputs(schedule->state_count ? "\n],\n\"value\": " : "],\n\"value\": ", out);
    json_number(out, schedule->value, 3);
    fputs(", \"bound\": ", out);
    json_number(out, schedule->bound, 3);
    fputs(", \"gap\": ", out);
    json_number(out, schedule->gap, 6);
    fprintf(out, ", \"solver\": \"%s\", \"seconds\": ", apsco_plan_solver_name(schedule->solver));
    json_number(out, schedule->seconds, 3);
    fputs(",\n\"refused\": [", out);
    for (size_t i = 0; i < schedule->refused_count; i++) {
        const apsco_plan_refusal *r = &schedule->refused[i];
        fputs(i ? ",\n  {\"request\": " : "\n  {\"request\": ", out);
        apsco_export_json_string(out, problem->requests->items[r->request].id);
        fputs(", \"reason\": ", out);
        apsco_export_json_string(out, r->reason);
        fputc('}', out);
    }
    fputs(schedule->refused_count ? "\n]}\n" : "]}\n", out);
    return io_status(out, err);
}

/* ---------------------------------------------------------------- iCal */

/* A content line being built, folded when written (RFC 5545 sec. 3.1). */
typedef struct ics_line {
    char buf[2048];
    size_t n;
} ics_line;

static void line_add(ics_line *l, const char *s)
{
    size_t k = strlen(s);
    if (k > sizeof l->buf - 1 - l->n)
        k = sizeof l->buf - 1 - l->n;
    memcpy(l->buf + l->n, s, k);
    l->n += k;
    l->buf[l->n] = '\0';
}

/* TEXT value escaping (RFC 5545 sec. 3.3.11): backslash, semicolon, comma, newline. */
static void line_text(ics_line *l, const char *s)
{
    for (; *s && l->n < sizeof l->buf - 3; s++) {
        if (*s == '\\' || *s == ';' || *s == ',') {
            l->buf[l->n++] = '\\';
            l->buf[l->n++] = *s;
        } else if (*s == '\n') {
            l->buf[l->n++] = '\\';
            l->buf[l->n++] = 'n';
        } else if ((unsigned char)*s >= 0x20 && *s != 0x7f) {
            l->buf[l->n++] = *s;
        }
    }
    l->buf[l->n] = '\0';
}

/*
 * Writes the line folded: no physical line longer than 75 octets, each
 * continuation starting with a space, never splitting a UTF-8 character.
 */
static void line_end(FILE *out, ics_line *l)
{
    size_t pos = 0, room = 75;
    while (l->n - pos > room) {
        size_t cut = pos + room;
        while (cut > pos && ((unsigned char)l->buf[cut] & 0xC0) == 0x80)
            cut--;
        fwrite(l->buf + pos, 1, cut - pos, out);
        fputs("\r\n ", out);
        pos = cut;
        room = 74; /* the leading space counts */
    }
    fwrite(l->buf + pos, 1, l->n - pos, out);
    fputs("\r\n", out);
    l->n = 0;
    l->buf[0] = '\0';
}

/* "YYYYMMDDTHHMMSSZ" */
static void ics_time(apsco_time t, char *buf, size_t size)
{
    char iso_s[40];
    iso(t, iso_s, sizeof iso_s);
    size_t k = 0;
    for (const char *p = iso_s; *p && k + 1 < size; p++)
        if (*p != '-' && *p != ':')
            buf[k++] = *p;
    buf[k] = '\0';
}

/* Appends `s` with every byte outside [A-Za-z0-9._] percent-encoded (UIDs stay plain ASCII). */
static void uid_part(ics_line *l, const char *s)
{
    char enc[4];
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_') {
            enc[0] = (char)c;
            enc[1] = '\0';
        } else {
            snprintf(enc, sizeof enc, "%%%02X", c);
        }
        line_add(l, enc);
    }
}

static void ics_event(FILE *out, const apsco_plan_problem *p, const apsco_plan_contact *c,
                      const char *stamp, ics_line *l)
{
    const apsco_plan_request *r = &p->requests->items[c->request];
    const char *station = p->stations[c->station].id;
    char start[40], end[40], num[32];
    ics_time(c->start, start, sizeof start);
    ics_time(c->end, end, sizeof end);
    snprintf(num, sizeof num, "%ld", r->norad);
    fputs("BEGIN:VEVENT\r\n", out);
    /* The UID names the contact itself, so a re-run updates instead of duplicating. */
    line_add(l, "UID:");
    uid_part(l, r->id);
    line_add(l, "-");
    line_add(l, num);
    line_add(l, "-");
    uid_part(l, station);
    line_add(l, "-");
    line_add(l, start);
    line_add(l, "@apsco");
    line_end(out, l);
    fprintf(out, "DTSTAMP:%s\r\nDTSTART:%s\r\nDTEND:%s\r\n", stamp, start, end);
    line_add(l, "SUMMARY:");
    char summary[256];
    snprintf(summary, sizeof summary, "%ld at %s (%s, %s)", r->norad, station, r->id, r->state);
    line_text(l, summary);
    line_end(out, l);
    line_add(l, "LOCATION:");
    line_text(l, station);
    line_end(out, l);
    char desc[256];
    snprintf(desc, sizeof desc, "Contact for request %s of %s with satellite %ld, priority %d.",
             r->id, r->state, r->norad, r->priority);
    line_add(l, "DESCRIPTION:");
    line_text(l, desc);
    line_end(out, l);
    fprintf(out, "CATEGORIES:%s\r\nEND:VEVENT\r\n", r->state);
}

apsco_status apsco_schedule_write_ics(FILE *out, const apsco_plan_problem *problem,
                                      const apsco_schedule *schedule, apsco_time stamp,
                                      apsco_error *err)
{
    char dtstamp[40];
    ics_time(stamp, dtstamp, sizeof dtstamp);
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//apsco//schedule//EN\r\n"
          "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
          out);
    ics_line l = {{0}, 0};
    for (size_t i = 0; i < schedule->contact_count; i++)
        ics_event(out, problem, &schedule->contacts[i], dtstamp, &l);
    fputs("END:VCALENDAR\r\n", out);
    return io_status(out, err);
}
