#!/usr/bin/python3
"""Writes the same real element sets as TLE and as CCSDS OMM in KVN, XML, JSON and CSV.

Usage: /usr/bin/python3 make_omm_samples.py CELESTRAK_ACTIVE_TLE [OUTPUT_DIR]

CELESTRAK_ACTIVE_TLE is CelesTrak's "active" group as 3-line elements (see README.md for the
snapshot used). A fixed list of element sets is picked from it, two more are derived from them
with Alpha-5 catalog numbers, and five files are written:

  celestrak-2026-03-19-sample.tle / .kvn / .xml / .json / .csv

python-sgp4 (Debian python3-sgp4 2.15) reads each TLE and sgp4.exporter.export_omm builds the
OMM fields. export_omm's numbers are round trips through radians (51.6344 may come back as
51.634400000000006) and its EPOCH truncates to the microsecond, whereas CelesTrak publishes the
TLE's own decimals; so every number is then replaced by the exact decimal the TLE holds (checked
to agree with export_omm's value to 1e-12), and EPOCH by the exact instant of the TLE epoch
(a TLE day fraction has 8 decimals, 0.864 ms steps, so it is a whole number of microseconds).

Each encoding writes the numbers in a different but exact decimal spelling (".0006229",
"6.229E-4", numeric strings in some JSON objects, ...), so that parsing all five files must give
the same element sets.
"""

import json
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sgp4.api import Satrec
from sgp4.exporter import export_omm

# Catalog numbers picked from the snapshot, and why.
PICKED = [
    (25544, "ISS, LEO"),
    (68261, "highest catalog number in the snapshot"),
    (37779, "PAKSAT-1R, GEO"),
    (39500, "THAICOM 6, GEO"),
    (39522, "TURKSAT 4A, GEO"),
    (41603, "LAPAN-A3, sun-synchronous"),
    (41875, "GOKTURK 1A, sun-synchronous"),
    (43530, "PRSS-1, sun-synchronous"),
    (44883, "CBERS 4A, sun-synchronous"),
    (58016, "THEOS-2 (T2V), sun-synchronous"),
    (24876, "NAVSTAR 43, MEO (GPS)"),
    (14129, "AO-10, HEO, BSTAR 0"),
    (23802, "POLAR, HEO"),
    (25867, "CXO, eccentricity 0.80, 2.6-day period"),
    (26410, "CLUSTER II-FM7, retrograde HEO"),
    (39265, "CASSIOPE, negative NDDOT"),
    (46157, "STARLINK-1587, large NDOT and NDDOT"),
    (45756, "STARLINK-1484, nonzero NDDOT"),
    (1361, "negative BSTAR"),
    (16908, "negative NDOT and BSTAR"),
    (39150, "GAOFEN-1: the TLE's BSTAR is 2 ulp from its exact decimal"),
    (45699, "STARLINK-1398: the TLE's NDDOT is 2 ulp from its exact decimal"),
]

# Element sets derived from picked ones, renumbered into the Alpha-5 range (none is in the snapshot).
DERIVED = [
    (25544, 270001, "T0001", "ISS ELEMENTS AS T0001"),
    (39265, 339999, "Z9999", "CASSIOPE ELEMENTS AS Z9999"),
]


def checksum(line):
    return sum(int(c) if c.isdigit() else c == "-" for c in line[:68]) % 10


def renumber(l1, l2, field5):
    l1 = l1[:2] + field5 + l1[7:68]
    l2 = l2[:2] + field5 + l2[7:68]
    return l1 + str(checksum(l1)), l2 + str(checksum(l2))


def read_catalog(path):
    lines = Path(path).read_text().splitlines()
    sets = {}
    for i in range(0, len(lines) - 2, 3):
        name, l1, l2 = lines[i].strip(), lines[i + 1], lines[i + 2]
        sets[int(l1[2:7])] = (name, l1, l2)
    return sets


def exp_decimal(field):
    """The exact value of a TLE " 12345-3" field (0.12345e-3)."""
    sign = "-" if field[0] == "-" else ""
    return Decimal(f"{sign}0.{field[1:6]}E{int(field[6:8])}")


def exact_epoch(l1):
    """The TLE epoch as an ISO-8601 instant with exactly the microseconds it holds."""
    yy = int(l1[18:20])
    year = 2000 + yy if yy < 57 else 1900 + yy
    day = Decimal(l1[20:32])
    whole = int(day)
    micro = (day - whole) * 86400 * 10**6
    assert micro == int(micro), l1
    micro = int(micro)
    d = date(year, 1, 1) + timedelta(days=whole - 1)
    s, us = divmod(micro, 10**6)
    return f"{d.isoformat()}T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.{us:06d}"


def fields_of(name, l1, l2):
    """OMM fields: export_omm's, with the TLE's exact decimals (as Decimal) for every number."""
    sat = Satrec.twoline2rv(l1, l2)
    omm = export_omm(sat, name)
    exact = {
        "MEAN_MOTION": Decimal(l2[52:63]),
        "ECCENTRICITY": Decimal("0." + l2[26:33]),
        "INCLINATION": Decimal(l2[8:16]),
        "RA_OF_ASC_NODE": Decimal(l2[17:25]),
        "ARG_OF_PERICENTER": Decimal(l2[34:42]),
        "MEAN_ANOMALY": Decimal(l2[43:51]),
        "BSTAR": exp_decimal(l1[53:61]),
        "MEAN_MOTION_DOT": Decimal(l1[33:43]),
        "MEAN_MOTION_DDOT": exp_decimal(l1[44:52]),
    }
    for key, value in exact.items():
        got = float(omm[key])
        assert abs(got - float(value)) <= 1e-12 * max(1.0, abs(got)), (key, got, value)
        omm[key] = value
    epoch = exact_epoch(l1)
    omm["EPOCH_TRUNCATED"] = omm["EPOCH"] != epoch
    omm["EPOCH"] = epoch
    for key in ("EPHEMERIS_TYPE", "ELEMENT_SET_NO", "REV_AT_EPOCH", "NORAD_CAT_ID"):
        omm[key] = int(omm[key])
    return omm


NUMBERS = ["MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
           "MEAN_ANOMALY"]
DRAG = ["BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT"]
CSV_COLUMNS = ["OBJECT_NAME", "OBJECT_ID", "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION",
               "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY", "EPHEMERIS_TYPE",
               "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR",
               "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT"]


def plain(d):
    """Positional notation, as CelesTrak's JSON: 0.00017698, 15.4837, 0."""
    text = format(d, "f")
    return text if text not in ("-0", "-0.00000") else "0"


def celestrak_csv(d):
    """CelesTrak's CSV spelling: no leading zero (.0006229, -.22483E-4), exponent when small."""
    if d == 0:
        return "0"
    text = format(d, "f") if abs(d) >= Decimal("0.0001") else f"{d:E}"
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


def scientific(d):
    """KVN spelling with an exponent for the drag terms: 1.7698E-04."""
    return f"{d.normalize():E}" if d != 0 else "0.0"


def write_tle(sets, out):
    with open(out, "w") as f:
        for name, l1, l2, _ in sets:
            f.write(f"{name}\n{l1}\n{l2}\n")


def write_kvn(omms, out):
    units = {"MEAN_MOTION": "rev/day", "INCLINATION": "deg", "RA_OF_ASC_NODE": "deg",
             "ARG_OF_PERICENTER": "deg", "MEAN_ANOMALY": "deg", "BSTAR": "1/ER",
             "MEAN_MOTION_DOT": "rev/day**2", "MEAN_MOTION_DDOT": "rev/day**3"}
    lines = []
    for i, o in enumerate(omms):
        lines += [f"CCSDS_OMM_VERS = {'2.0' if i % 2 == 0 else '3.0'}",
                  "COMMENT Element set written by make_omm_samples.py from a CelesTrak TLE",
                  "CREATION_DATE = 2026-03-19T12:00:00", "ORIGINATOR = APSCO TEST DATA", "",
                  f"OBJECT_NAME = {o['OBJECT_NAME']}", f"OBJECT_ID = {o['OBJECT_ID']}",
                  "CENTER_NAME = EARTH", "REF_FRAME = TEME", "TIME_SYSTEM = UTC",
                  "MEAN_ELEMENT_THEORY = SGP4", "", "COMMENT Mean Keplerian elements",
                  f"EPOCH = {o['EPOCH']}"]
        for key in NUMBERS:
            text = str(o[key])
            lines.append(f"{key} = {text} [{units[key]}]" if key in units else f"{key} = {text}")
        lines += ["", f"EPHEMERIS_TYPE = {o['EPHEMERIS_TYPE']}",
                  f"CLASSIFICATION_TYPE = {o['CLASSIFICATION_TYPE']}",
                  f"NORAD_CAT_ID = {o['NORAD_CAT_ID']}", f"ELEMENT_SET_NO = {o['ELEMENT_SET_NO']}",
                  f"REV_AT_EPOCH = {o['REV_AT_EPOCH']}"]
        for key in DRAG:
            lines.append(f"{key} = {scientific(o[key])} [{units[key]}]")
        lines += [f"USER_DEFINED_SOURCE = CELESTRAK ACTIVE {i + 1}", ""]
    Path(out).write_text("\n".join(lines))


def xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_xml(omms, out):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<ndm xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:noNamespaceSchemaLocation="https://sanaregistry.org/r/ndmxml_unqualified/'
             'ndmxml-2.0.0-master-2.0.xsd">']
    for i, o in enumerate(omms):
        epoch = o["EPOCH"] + ("Z" if i % 3 == 0 else "")
        lines += ['  <omm id="CCSDS_OMM_VERS" version="2.0">',
                  "    <header><CREATION_DATE>2026-03-19T12:00:00</CREATION_DATE>"
                  "<ORIGINATOR>APSCO TEST DATA</ORIGINATOR></header>",
                  "    <body>", "      <segment>", "        <metadata>",
                  f"          <OBJECT_NAME>{xml_escape(o['OBJECT_NAME'])}</OBJECT_NAME>",
                  f"          <OBJECT_ID>{o['OBJECT_ID']}</OBJECT_ID>",
                  "          <CENTER_NAME>EARTH</CENTER_NAME>", "          <REF_FRAME>TEME</REF_FRAME>",
                  "          <TIME_SYSTEM>UTC</TIME_SYSTEM>",
                  "          <MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY>",
                  "        </metadata>", "        <data>", "          <meanElements>",
                  f"            <EPOCH>{epoch}</EPOCH>"]
        for key in NUMBERS:
            unit = ' units="deg"' if key in ("INCLINATION", "MEAN_ANOMALY") else ""
            lines.append(f"            <{key}{unit}>{o[key]}</{key}>")
        lines += ["          </meanElements>", "          <tleParameters>"]
        for key in ("EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO",
                    "REV_AT_EPOCH"):
            lines.append(f"            <{key}>{o[key]}</{key}>")
        for key in DRAG:
            lines.append(f"            <{key}>{celestrak_csv(o[key])}</{key}>")
        lines += ["          </tleParameters>", "        </data>", "      </segment>",
                  "    </body>", "  </omm>"]
    lines.append("</ndm>")
    Path(out).write_text("\n".join(lines) + "\n")


def write_json(omms, out):
    """CelesTrak's layout: an array of flat objects. Every third object spells its numbers as
    strings, as Space-Track does."""
    objects = []
    for i, o in enumerate(omms):
        as_strings = i % 3 == 2
        members = []
        for key in CSV_COLUMNS:
            value = o[key]
            if isinstance(value, Decimal):
                text = plain(value)
                members.append(f'"{key}":' + (json.dumps(text) if as_strings else text))
            elif isinstance(value, int):
                members.append(f'"{key}":' + (json.dumps(str(value)) if as_strings else str(value)))
            else:
                members.append(f'"{key}":{json.dumps(value)}')
        objects.append("{" + ",".join(members) + "}")
    Path(out).write_text("[" + ",\n".join(objects) + "]\n")


def write_csv(omms, out):
    rows = [",".join(CSV_COLUMNS)]
    for o in omms:
        cells = []
        for key in CSV_COLUMNS:
            value = o[key]
            text = celestrak_csv(value) if isinstance(value, Decimal) else str(value)
            if any(c in text for c in ',"'):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        rows.append(",".join(cells))
    Path(out).write_text("\r\n".join(rows) + "\r\n")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    catalog = read_catalog(sys.argv[1])
    out = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).parent)
    chosen = []
    for norad, why in PICKED:
        name, l1, l2 = catalog[norad]
        chosen.append((name, l1, l2, why))
    for source, number, field5, name in DERIVED:
        _, l1, l2 = catalog[source]
        l1, l2 = renumber(l1, l2, field5)
        chosen.append((name, l1, l2, f"derived from {source}, renumbered {number}"))
    omms = []
    for name, l1, l2, _ in chosen:
        omms.append(fields_of(name, l1, l2))
    stem = out / "celestrak-2026-03-19-sample"
    write_tle(chosen, f"{stem}.tle")
    write_kvn(omms, f"{stem}.kvn")
    write_xml(omms, f"{stem}.xml")
    write_json(omms, f"{stem}.json")
    write_csv(omms, f"{stem}.csv")
    truncated = sum(o["EPOCH_TRUNCATED"] for o in omms)
    print(f"{len(omms)} element sets written to {stem}.*; export_omm's EPOCH was one microsecond "
          f"short (truncated) for {truncated} of them")


if __name__ == "__main__":
    main()
