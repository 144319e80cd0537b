#!/usr/bin/python3
"""Writes three.json: the element sets of three.tle as CelesTrak GP JSON (OMM
keywords, as gp.php?FORMAT=json returns them), for the download tests."""
import datetime
import json


def exp_field(s):
    # TLE "assumed decimal point" notation: " 58848-3" = 0.58848e-3
    return float(s[0].replace(' ', '+') + '0.' + s[1:6].replace(' ', '0') + 'e' + s[6:8])


def record(name, l1, l2):
    year = int(l1[18:20])
    year += 2000 if year < 57 else 1900
    day = float(l1[20:32])
    epoch = datetime.datetime(year, 1, 1) + datetime.timedelta(days=day - 1)
    intl = l1[9:17].strip()
    launch = int(intl[:2])
    launch += 2000 if launch < 57 else 1900
    return {
        "OBJECT_NAME": name.strip(),
        "OBJECT_ID": "%d-%s" % (launch, intl[2:]),
        "EPOCH": epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        "MEAN_MOTION": float(l2[52:63]),
        "ECCENTRICITY": float("0." + l2[26:33]),
        "INCLINATION": float(l2[8:16]),
        "RA_OF_ASC_NODE": float(l2[17:25]),
        "ARG_OF_PERICENTER": float(l2[34:42]),
        "MEAN_ANOMALY": float(l2[43:51]),
        "EPHEMERIS_TYPE": int(l1[62]),
        "CLASSIFICATION_TYPE": l1[7],
        "NORAD_CAT_ID": int(l1[2:7]),
        "ELEMENT_SET_NO": int(l1[64:68]),
        "REV_AT_EPOCH": int(l2[63:68]),
        "BSTAR": exp_field(l1[53:61]),
        "MEAN_MOTION_DOT": float(l1[33:43].replace(' ', '')),
        "MEAN_MOTION_DDOT": exp_field(l1[44:52]),
    }


lines = open("three.tle").read().splitlines()
out = [record(*lines[i:i + 3]) for i in range(0, len(lines), 3)]
with open("three.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
