/*
 * pass_search.c — the pass search of the commands that predict passes of a
 * catalog over a list of stations (passes, pooling), and the labels that
 * the pass exports name them by. Not for choosing the satellites or the
 * stations (common.c, select.c, sites.c).
 */
#include <stdlib.h>

#include "apsco/orbit.h"
#include "cli/cli.h"

int cli_find_passes(const apsco_catalog *cat, const apsco_station_list *st,
                    const apsco_pass_options *opt, apsco_pass_list *out)
{
    apsco_sat *sats = calloc(cat->count + 1, sizeof *sats);
    apsco_pass_site *sites = calloc(st->count + 1, sizeof *sites);
    int rc = CLI_EXIT_DATA;
    apsco_error err;
    if (!sats || !sites) {
        cli_message("out of memory");
        goto done;
    }
    /* A refused element set keeps its error code: the search reports it per satellite. */
    for (size_t i = 0; i < cat->count; i++)
        apsco_sat_init(&sats[i], &cat->items[i], APSCO_WGS72, APSCO_OPSMODE_IMPROVED, NULL);
    for (size_t j = 0; j < st->count; j++)
        apsco_pass_site_from_station(&sites[j], &st->items[j]);
    if (apsco_passes_find(sats, cat->count, sites, st->count, opt, out, &err) == APSCO_OK)
        rc = CLI_EXIT_OK;
    else
        cli_print_error(&err);
done:
    free(sats);
    free(sites);
    return rc;
}

int cli_pass_labels_init(cli_pass_labels *l, const apsco_catalog *cat, const apsco_station_list *st)
{
    l->norad = calloc(cat->count + 1, sizeof *l->norad);
    l->sat_name = calloc(cat->count + 1, sizeof *l->sat_name);
    l->site_name = calloc(st->count + 1, sizeof *l->site_name);
    if (!l->norad || !l->sat_name || !l->site_name) {
        cli_pass_labels_free(l);
        cli_message("out of memory");
        return 0;
    }
    for (size_t i = 0; i < cat->count; i++) {
        l->norad[i] = cat->items[i].norad;
        l->sat_name[i] = cat->items[i].name;
    }
    for (size_t j = 0; j < st->count; j++)
        l->site_name[j] = st->items[j].id;
    l->labels = (apsco_pass_labels){l->norad, l->sat_name, l->site_name};
    return 1;
}

void cli_pass_labels_free(cli_pass_labels *l)
{
    free(l->norad);
    free(l->sat_name);
    free(l->site_name);
    l->norad = NULL;
    l->sat_name = NULL;
    l->site_name = NULL;
}
