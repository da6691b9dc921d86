#!/usr/bin/env bash
# serve_qgis.sh BINARY - QGIS (python3-qgis and its OAPIF provider, headless with
# QT_QPA_PLATFORM=offscreen, under /usr/bin/python3) reads `cityatlas serve` (issue 16):
# every collection loads as a valid layer with the registry's feature count, both as QGIS
# reports it and as its features iterate (Thai text byte for byte in a name column); a
# subset on a date field, which QGIS sends as datetime=, gives the features the standard
# says (those at that instant, however the time was written, and those without a time).
# Bounded: the QGIS run gets E2E_CMD_TIMEOUT seconds. SKIPs when QGIS is not installed.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/serve_lib.sh
source "$(dirname "$0")/serve_lib.sh"
# shellcheck source=tests/e2e/ogc_lib.sh
source "$(dirname "$0")/ogc_lib.sh"

if ! /usr/bin/python3 -c 'import qgis.core' 2>/dev/null; then
    echo "SKIP $E2E_NAME: python3-qgis not installed for /usr/bin/python3"
    exit 0
fi
ogc_serve 500

cat >"$E2E_TMP/qgis_probe.py" <<'EOF'
"""Loads every collection of an OGC API - Features server in QGIS; prints JSON."""
import json
import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"
from qgis.core import QgsApplication, QgsVectorLayer  # noqa: E402

base, ids, name_layer, name_field = sys.argv[1], sys.argv[2].split(), sys.argv[3], sys.argv[4]
app = QgsApplication([], False)
app.initQgis()


def layer(layer_id):
    return QgsVectorLayer(f"url='{base}/' typename='{layer_id}'", layer_id, "OAPIF")


out = {"layers": {}, "subsets": {}}
for layer_id in ids:
    lyr = layer(layer_id)
    out["layers"][layer_id] = [lyr.isValid(), lyr.featureCount(),
                               sum(1 for _ in lyr.getFeatures())]
lyr = layer(name_layer)
out["names"] = sorted(str(f[name_field]) for f in lyr.getFeatures() if f[name_field] is not None)
subsets = [("events", "\"at\" = '2019-02-18T00:00:00Z'"),
           ("events", "\"at\" >= '2019-02-20T00:00:00Z'"),
           ("cm-districts", "\"date\" = '2019-02-18T00:00:00Z'")]
for layer_id, subset in subsets:
    lyr = layer(layer_id)
    ok = lyr.setSubsetString(subset)
    key = f"{layer_id} {subset}"
    if layer_id == "events":
        out["subsets"][key] = [ok, sorted(f["name"] for f in lyr.getFeatures())]
    else:
        out["subsets"][key] = [ok, sum(1 for _ in lyr.getFeatures())]
print(json.dumps(out, ensure_ascii=False), flush=True)
# QGIS 3.22 may crash in exitQgis while Python still holds provider objects: the answer is
# out, so leave without the teardown.
os._exit(0)
EOF

section "QGIS: every collection loads with its count"
ids=$(layer_ids "$DB")
mkdir -p "$E2E_TMP/home" "$E2E_TMP/run"
chmod 700 "$E2E_TMP/run"
export HOME=$E2E_TMP/home XDG_RUNTIME_DIR=$E2E_TMP/run NO_PROXY='*' no_proxy='*'
run /usr/bin/python3 "$E2E_TMP/qgis_probe.py" "$BASE" "$ids" cm-districts ADM2_TH
expect_rc 0 "the QGIS script"
res=$(grep -E '^\{' <<<"$RUN_OUT" | tail -n 1)
for id in $ids; do
    n=$(reg "$DB" "$id" feature_count)
    expect_eq "$(jq -r --arg id "$id" '.layers[$id] | map(tostring) | join(" ")' <<<"$res")" \
        "true $n $n" "$id: valid, QGIS's count and the features it reads"
done
t=$(reg "$DB" cm-districts table_name)
expect_eq "$(jq -r '.names | join(",")' <<<"$res")" \
    "$(sql "$DB" "SELECT group_concat(n, ',') FROM (SELECT ADM2_TH AS n FROM \"$t\" ORDER BY n)")" \
    "cm-districts: the Thai names, byte for byte"

section "QGIS: a subset on a date field"
expect_eq "$(jq -r '.subsets["events \"at\" = '"'"'2019-02-18T00:00:00Z'"'"'"] | flatten | map(tostring) | join(",")' <<<"$res")" \
    "true,a,b,e,f" "events at one instant: a, b (+07:00), and e, f without a time"
expect_eq "$(jq -r '.subsets["events \"at\" >= '"'"'2019-02-20T00:00:00Z'"'"'"] | flatten | map(tostring) | join(",")' <<<"$res")" \
    "true,d,e,f" "events from 2019-02-20: d, and e, f without a time"
expect_eq "$(jq -r '.subsets["cm-districts \"date\" = '"'"'2019-02-18T00:00:00Z'"'"'"] | map(tostring) | join(",")' <<<"$res")" \
    "true,$(sql "$DB" "SELECT count(*) FROM \"$t\" WHERE date = '2019-02-18T00:00:00Z'")" \
    "cm-districts on its date"
expect_contains "$(cat "$SERVE_LOG")" "datetime=2019-02-18T00:00:00Z" "QGIS sent the subset as datetime"

serve_stop "stopping the server"
