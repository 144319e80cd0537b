/*
 * passes.c — writers for pass lists: CSV, JSON and iCalendar (RFC 5545).
 *
 * They format what apsco_passes_find computed and compute nothing but unit
 * conversions and the Doppler shift of the requested carrier.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "apsco/export.h"

#define DEG (180.0 / M_PI)

static void iso(const apsco_pass_list *list, double offset_s, char buf[40])
{
    apsco_time_format_iso(apsco_pass_time(list, offset_s), 3, buf, 40);
}

static void write_csv_row(FILE *out, const apsco_pass_list *list, const apsco_pass *p,
                          const apsco_pass_labels *labels)
{
    char aos[40], tca[40], los[40];
    iso(list, p->aos_s, aos);
    iso(list, p->tca_s, tca);
    iso(list, p->los_s, los);
    fprintf(out, "%ld,", labels->norad[p->sat]);
    apsco_export_csv_field(out, labels->sat_name[p->sat]);
    fputc(',', out);
    apsco_export_csv_field(out, labels->site_name[p->site]);
    fprintf(out, ",%s,%.3f,%s,%.4f,%.3f,%s,%.3f,%.3f,%.3f,%d\n", aos, p->aos_az_rad * DEG, tca,
            p->tca_el_rad * DEG, p->tca_az_rad * DEG, los, p->los_az_rad * DEG, p->los_s - p->aos_s,
            p->sunlit_fraction, p->visible);
}

static void write_json_object(FILE *out, const apsco_pass_list *list, const apsco_pass *p,
                              const apsco_pass_labels *labels, double freq_hz)
{
    char aos[40], tca[40], los[40];
    iso(list, p->aos_s, aos);
    iso(list, p->tca_s, tca);
    iso(list, p->los_s, los);
    fprintf(out, "{\"norad\":%ld,\"name\":", labels->norad[p->sat]);
    apsco_export_json_string(out, labels->sat_name[p->sat]);
    fputs(",\"station\":", out);
    apsco_export_json_string(out, labels->site_name[p->site]);
    fprintf(out,
            ",\"aos_utc\":\"%s\",\"aos_az_deg\":%.3f,\"aos_clipped\":%s,"
            "\"tca_utc\":\"%s\",\"tca_el_deg\":%.4f,\"tca_az_deg\":%.3f,\"tca_range_km\":%.3f,"
            "\"los_utc\":\"%s\",\"los_az_deg\":%.3f,\"los_clipped\":%s,"
            "\"duration_s\":%.3f,\"sunlit_fraction\":%.3f,\"visible\":%s,"
            "\"aos_range_rate_km_s\":%.6f,\"tca_range_rate_km_s\":%.6f,"
            "\"los_range_rate_km_s\":%.6f",
            aos, p->aos_az_rad * DEG, p->aos_clipped ? "true" : "false", tca, p->tca_el_rad * DEG,
            p->tca_az_rad * DEG, p->tca_range_km, los, p->los_az_rad * DEG,
            p->los_clipped ? "true" : "false", p->los_s - p->aos_s, p->sunlit_fraction,
            p->visible ? "true" : "false", p->aos_range_rate_km_s, p->tca_range_rate_km_s,
            p->los_range_rate_km_s);
    if (freq_hz > 0.0)
        fprintf(out,
                ",\"freq_mhz\":%.6f,\"doppler_aos_hz\":%.1f,\"doppler_tca_hz\":%.1f,"
                "\"doppler_los_hz\":%.1f",
                freq_hz / 1e6, apsco_doppler_shift_hz(freq_hz, p->aos_range_rate_km_s),
                apsco_doppler_shift_hz(freq_hz, p->tca_range_rate_km_s),
                apsco_doppler_shift_hz(freq_hz, p->los_range_rate_km_s));
    fputc('}', out);
}

/* ------------------------------------------------------------------------ */
/* iCalendar                                                                */
/* ------------------------------------------------------------------------ */

/*
 * One content line, folded (RFC 5545 sec. 3.1): no line longer than 75
 * octets without its CRLF; a fold is CRLF followed by one space, placed
 * before a byte that does not continue a UTF-8 character.
 */
static void ics_line(FILE *out, const char *line)
{
    size_t used = 0;
    for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
        size_t len = 1;
        if (*p >= 0xC0)
            while ((p[len] & 0xC0) == 0x80)
                len++;
        if (used + len > 75) {
            fputs("\r\n ", out);
            used = 1;
        }
        fwrite(p, 1, len, out);
        used += len;
        p += len - 1;
    }
    fputs("\r\n", out);
}

/* Appends `s` to buf as an iCalendar TEXT value (backslash, semicolon, comma, newline escaped). */
static void ics_text(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    for (; *s && n + 2 < size; s++) {
        if (*s == '\\' || *s == ';' || *s == ',') {
            buf[n++] = '\\';
            buf[n++] = *s;
        } else if (*s == '\n') {
            buf[n++] = '\\';
            buf[n++] = 'n';
        } else if (*s != '\r') {
            buf[n++] = *s;
        }
    }
    buf[n] = '\0';
}

/* "YYYYMMDDTHHMMSSZ" of an instant rounded to the second (or to the minute with `minute`). */
static void ics_time(apsco_time t, int minute, char buf[24])
{
    apsco_calendar c;
    apsco_time_to_calendar(apsco_time_add_s(t, minute ? 30.0 : 0.5), &c);
    if (minute)
        snprintf(buf, 24, "%04d%02d%02dT%02d%02dZ", c.year, c.month, c.day, c.hour, c.minute);
    else
        snprintf(buf, 24, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day, c.hour, c.minute,
                 (int)c.second);
}

static void write_ics_event(FILE *out, const apsco_pass_list *list, const apsco_pass *p,
                            const apsco_pass_labels *labels, const char *dtstamp)
{
    char line[1024], when[24], aos[40], tca[40], los[40];
    const char *name = labels->sat_name[p->sat], *site = labels->site_name[p->site];
    long norad = labels->norad[p->sat];
    ics_line(out, "BEGIN:VEVENT");
    ics_time(apsco_pass_time(list, p->aos_s), 1, when);
    snprintf(line, sizeof line, "UID:%ld-", norad);
    ics_text(line, sizeof line, site);
    snprintf(line + strlen(line), sizeof line - strlen(line), "-%s@apsco", when);
    ics_line(out, line);
    snprintf(line, sizeof line, "DTSTAMP:%s", dtstamp);
    ics_line(out, line);
    ics_time(apsco_pass_time(list, p->aos_s), 0, when);
    snprintf(line, sizeof line, "DTSTART:%s", when);
    ics_line(out, line);
    ics_time(apsco_pass_time(list, p->los_s), 0, when);
    snprintf(line, sizeof line, "DTEND:%s", when);
    ics_line(out, line);
    char text[512];
    snprintf(text, sizeof text, "%s (%ld) over %s, max el %.1f°", name[0] ? name : "satellite",
             norad, site, p->tca_el_rad * DEG);
    snprintf(line, sizeof line, "SUMMARY:");
    ics_text(line, sizeof line, text);
    ics_line(out, line);
    iso(list, p->aos_s, aos);
    iso(list, p->tca_s, tca);
    iso(list, p->los_s, los);
    snprintf(text, sizeof text,
             "AOS %s az %.1f°%s\nTCA %s el %.2f° az %.1f° range %.0f km\nLOS %s az %.1f°%s\n"
             "sunlit %.0f%%, visible: %s",
             aos, p->aos_az_rad * DEG, p->aos_clipped ? " (window start)" : "", tca,
             p->tca_el_rad * DEG, p->tca_az_rad * DEG, p->tca_range_km, los, p->los_az_rad * DEG,
             p->los_clipped ? " (window end)" : "", 100.0 * p->sunlit_fraction,
             p->visible ? "yes" : "no");
    snprintf(line, sizeof line, "DESCRIPTION:");
    ics_text(line, sizeof line, text);
    ics_line(out, line);
    ics_line(out, "END:VEVENT");
}

static void write_ics(FILE *out, const apsco_pass_list *list, const apsco_pass_labels *labels,
                      apsco_time dtstamp)
{
    char stamp[24];
    ics_time(dtstamp, 0, stamp);
    ics_line(out, "BEGIN:VCALENDAR");
    ics_line(out, "VERSION:2.0");
    ics_line(out, "PRODID:-//apsco//passes//EN");
    ics_line(out, "CALSCALE:GREGORIAN");
    ics_line(out, "METHOD:PUBLISH");
    for (size_t i = 0; i < list->count; i++)
        write_ics_event(out, list, &list->items[i], labels, stamp);
    ics_line(out, "END:VCALENDAR");
}

apsco_status apsco_export_passes(FILE *out, const apsco_pass_list *list,
                                 const apsco_pass_labels *labels,
                                 const apsco_pass_export_options *opt, apsco_error *err)
{
    if (!out || !list || !labels || !opt || !labels->norad || !labels->sat_name ||
        !labels->site_name)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "export passes: NULL argument");
    switch (opt->format) {
    case APSCO_PASS_CSV:
        fputs(APSCO_PASS_CSV_HEADER "\n", out);
        for (size_t i = 0; i < list->count; i++)
            write_csv_row(out, list, &list->items[i], labels);
        break;
    case APSCO_PASS_JSON:
        fputc('[', out);
        for (size_t i = 0; i < list->count; i++) {
            fputs(i ? ",\n" : "\n", out);
            write_json_object(out, list, &list->items[i], labels, opt->freq_hz);
        }
        fputs(list->count ? "\n]\n" : "]\n", out);
        break;
    case APSCO_PASS_ICS: write_ics(out, list, labels, opt->dtstamp); break;
    default: return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "export passes: unknown format");
    }
    if (ferror(out))
        return apsco_error_set(err, APSCO_ERR_IO, NULL, 0, "export passes: write failed");
    return APSCO_OK;
}
