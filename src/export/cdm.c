/*
 * cdm.c — CCSDS Conjunction Data Messages (CCSDS 508.0-B-1, June 2013) in
 * keyword = value notation: header, relative metadata and data, and the
 * metadata and data of both objects, each keyword with its unit.
 *
 * Not for: reading CDMs, or computing their content (see apsco/screen.h).
 */
#include <stdio.h>
#include <string.h>

#include "apsco/export.h"

/* CCSDS ASCII time code A, UTC, milliseconds: 2026-03-19T00:10:49.287 (no zone letter). */
static void put_time(FILE *out, const char *key, apsco_time t)
{
    char iso[40];
    apsco_time_format_iso(t, 3, iso, sizeof iso);
    size_t n = strlen(iso);
    if (n && iso[n - 1] == 'Z')
        iso[n - 1] = '\0';
    fprintf(out, "%-36s = %s\n", key, iso);
}

static void put_text(FILE *out, const char *key, const char *value)
{
    fprintf(out, "%-36s = %s\n", key, value);
}

static void put_num(FILE *out, const char *key, double value, int decimals, const char *unit)
{
    if (unit)
        fprintf(out, "%-36s = %.*f [%s]\n", key, decimals, value, unit);
    else
        fprintf(out, "%-36s = %.*f\n", key, decimals, value);
}

static void put_sci(FILE *out, const char *key, double value, const char *unit)
{
    if (unit)
        fprintf(out, "%-36s = %.6E [%s]\n", key, value, unit);
    else
        fprintf(out, "%-36s = %.6E\n", key, value);
}

/* The 21 terms of the lower triangle of the 6x6 RTN covariance, in the standard's order. */
static const char *const cov_keys[21] = {
    "CR_R",       "CT_R",    "CT_T",       "CN_R",    "CN_T",       "CN_N",       "CRDOT_R",
    "CRDOT_T",    "CRDOT_N", "CRDOT_RDOT", "CTDOT_R", "CTDOT_T",    "CTDOT_N",    "CTDOT_RDOT",
    "CTDOT_TDOT", "CNDOT_R", "CNDOT_T",    "CNDOT_N", "CNDOT_RDOT", "CNDOT_TDOT", "CNDOT_NDOT"};

/* Row and column (0-5) of covariance term k. */
static void cov_index(int k, int *row, int *col)
{
    int r = 0;
    while ((r + 1) * (r + 2) / 2 <= k)
        r++;
    *row = r;
    *col = k - r * (r + 1) / 2;
}

static const char *cov_unit(int row, int col)
{
    int vel = (row >= 3) + (col >= 3);
    return vel == 0 ? "m**2" : (vel == 1 ? "m**2/s" : "m**2/s**2");
}

static void put_object(FILE *out, const apsco_cdm *cdm, int k)
{
    const apsco_cdm_object *o = &cdm->object[k];
    static const char *const axes[6] = {"X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT"};
    put_text(out, "OBJECT", k == 0 ? "OBJECT1" : "OBJECT2");
    put_text(out, "OBJECT_DESIGNATOR", o->designator);
    put_text(out, "CATALOG_NAME", "SATCAT");
    put_text(out, "OBJECT_NAME", o->name[0] ? o->name : "UNKNOWN");
    put_text(out, "INTERNATIONAL_DESIGNATOR",
             o->intl_designator[0] ? o->intl_designator : "UNKNOWN");
    put_text(out, "EPHEMERIS_NAME", "NONE");
    put_text(out, "COVARIANCE_METHOD", "DEFAULT");
    put_text(out, "MANEUVERABLE", "N/A");
    put_text(out, "REF_FRAME", "ITRF");
    fputs("COMMENT State from SGP4 (public element set), rotated from TEME to ITRF\n", out);
    for (int a = 0; a < 6; a++)
        put_num(out, axes[a], a < 3 ? o->r_km[a] : o->v_km_s[a - 3], a < 3 ? 6 : 9,
                a < 3 ? "km" : "km/s");
    fputs("COMMENT Element sets carry no covariance: DEFAULT is the isotropic position\n", out);
    fputs("COMMENT covariance (half of the combined one) at which COLLISION_PROBABILITY\n", out);
    fputs("COMMENT is largest; velocity terms are not known and are written as 0\n", out);
    for (int t = 0; t < 21; t++) {
        int row, col;
        cov_index(t, &row, &col);
        double v = row == col && row < 3 ? o->pos_var_m2 : 0.0;
        put_sci(out, cov_keys[t], v, cov_unit(row, col));
    }
}

void apsco_export_cdm(FILE *out, const apsco_cdm *cdm)
{
    static const char *const rtn = "RTN";
    put_text(out, "CCSDS_CDM_VERS", "1.0");
    put_time(out, "CREATION_DATE", cdm->creation);
    put_text(out, "ORIGINATOR", cdm->originator);
    put_text(out, "MESSAGE_ID", cdm->message_id);
    fputs("COMMENT Relative geometry from SGP4 at the time of closest approach\n", out);
    put_time(out, "TCA", cdm->tca);
    put_num(out, "MISS_DISTANCE", cdm->miss_m, 3, "m");
    put_num(out, "RELATIVE_SPEED", cdm->rel_speed_m_s, 3, "m/s");
    put_num(out, "RELATIVE_POSITION_R", cdm->rel_pos_rtn_m[0], 3, "m");
    put_num(out, "RELATIVE_POSITION_T", cdm->rel_pos_rtn_m[1], 3, "m");
    put_num(out, "RELATIVE_POSITION_N", cdm->rel_pos_rtn_m[2], 3, "m");
    put_num(out, "RELATIVE_VELOCITY_R", cdm->rel_vel_rtn_m_s[0], 3, "m/s");
    put_num(out, "RELATIVE_VELOCITY_T", cdm->rel_vel_rtn_m_s[1], 3, "m/s");
    put_num(out, "RELATIVE_VELOCITY_N", cdm->rel_vel_rtn_m_s[2], 3, "m/s");
    put_time(out, "START_SCREEN_PERIOD", cdm->screen_start);
    put_time(out, "STOP_SCREEN_PERIOD", cdm->screen_stop);
    put_text(out, "SCREEN_VOLUME_FRAME", rtn);
    put_text(out, "SCREEN_VOLUME_SHAPE", "ELLIPSOID");
    put_num(out, "SCREEN_VOLUME_X", cdm->screen_radius_m, 3, "m");
    put_num(out, "SCREEN_VOLUME_Y", cdm->screen_radius_m, 3, "m");
    put_num(out, "SCREEN_VOLUME_Z", cdm->screen_radius_m, 3, "m");
    fprintf(out, "COMMENT Maximum probability over covariance sizes, hard-body radius %.3f m\n",
            cdm->hbr_m);
    put_sci(out, "COLLISION_PROBABILITY", cdm->pc, NULL);
    put_text(out, "COLLISION_PROBABILITY_METHOD", "ALFANO-MAX-PROBABILITY");
    put_object(out, cdm, 0);
    put_object(out, cdm, 1);
}
