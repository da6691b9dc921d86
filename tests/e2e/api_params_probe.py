#!/usr/bin/env python3
"""api_params_probe.py BASE SCENARIO TOKEN JOIN_CODE - checks that what /api documents is
what the server accepts, for every GET operation of every path in /api (the paths come
from the route table, so every route is covered): each documented query parameter is sent
alone, with a valid value taken from its schema (default, enum, minimum) or from the data
(a field for sortby, the scenarios for ids), and must not be refused by name; an
undocumented parameter must be refused with 400 naming it. The checker and the document
come from one table, so they must agree on every bound: a value just outside a documented
minimum or maximum (of an integer or number) must get a 400 naming the parameter and the
bound, a documented default must lie within the bounds and be accepted, and a value
outside a documented enum must get a 400 naming the parameter or the value; every documented
value of f and lang (negotiated by the handlers) must be answered. Prints one line per
failure and, last, "routes N documented D accepted A ok-2xx K undocumented-refused U
bounds-refused B formats-and-languages V".
Traffic: 127.0.0.1 only, one request at a time, each bounded by a timeout."""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE, SCENARIO, TOKEN, JOIN_CODE = sys.argv[1:5]
UNDOCUMENTED = "zz-undocumented"
TIMEOUT = 120


def get(path, query=None, anonymous=False):
    """(status, parsed JSON body or None) of GET BASE+path?query, with the facilitator's
    token unless anonymous."""
    url = BASE + path + ("?" + urllib.parse.urlencode(query) if query else "")
    headers = {} if anonymous else {"Authorization": "Bearer " + TOKEN}
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            # A live stream (text/event-stream) never ends by itself: its status and
            # headers are the answer to the parameters.
            streaming = resp.headers.get("Content-Type", "").startswith("text/event-stream")
            status, body = resp.status, (b"" if streaming else resp.read())
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    try:
        return status, json.loads(body)
    except ValueError:
        return status, None


def resolve(doc, node):
    """node with its "$ref"s followed ("#/components/parameters/f" and the like)."""
    while isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


_, api = get("/api")
_, collections = get("/collections")
_, featured = get("/stats/featured")
_, scenarios = get("/scenarios")
layer = collections["collections"][0]["id"]
_, page = get("/collections/%s/items" % layer, {"limit": "1"})
_, sortables = get("/collections/%s/sortables" % layer)
field = sorted(sortables["properties"])[0]
_, sketches = get("/scenarios/%s/sketches" % SCENARIO, {"limit": "1"})
statistic = featured["statistics"][0]
statistic_query = {k: str(v) for k, v in statistic["query"].items()}
scenario_ids = [s["id"] for s in scenarios["scenarios"]]

# What each path segment names, from the data this server serves.
PATH_VALUES = {
    "collectionId": layer,
    "featureId": str(page["features"][0]["id"]),
    "statisticId": statistic["id"],
    "scenarioId": SCENARIO,
    "code": JOIN_CODE,
    "tileMatrix": "0",
    "tileRow": "0",
    "tileCol": "0",
}
# Values a schema cannot give (free text with a grammar).
NAMED_VALUES = {
    "bbox": "-180,-90,180,90",
    "datetime": "2000-01-01T00:00:00Z/..",
    "sortby": field,
    "properties": field,
    "filter": "%s IS NOT NULL" % field,
    "ids": ",".join(scenario_ids[:2]),
}


def valid_value(name, schema):
    if name in NAMED_VALUES:
        return NAMED_VALUES[name]
    if "default" in schema:
        value = schema["default"]
        return "true" if value is True else "false" if value is False else str(value)
    if "enum" in schema:
        return str(schema["enum"][0])
    if schema.get("type") in ("integer", "number"):
        return str(schema.get("minimum", 1))
    if schema.get("type") == "boolean":
        return "true"
    return "x"


def concrete(path, params):
    for p in params:
        if p["in"] == "path":
            value = PATH_VALUES.get(p["name"])
            if value is None:
                schema = p.get("schema", {})
                value = str(schema.get("enum", [None])[0] or schema.get("default", "x"))
            path = path.replace("{%s}" % p["name"], value)
    # "{scenarioId}.gpkg" and the like keep their suffix.
    return path


# Paging past the maximum is no error (/req/core/fc-limit-response-1): the page holds the
# maximum. Path suffixes of the routes whose limit is a page of features.
FEATURE_PAGES = ("/items", "/sketches")


def bound_text(value, is_integer):
    """A bound as the server's messages write it (C's %g for a number)."""
    return str(int(value)) if is_integer else "%g" % value


def value_text(value, is_integer):
    return str(int(value)) if is_integer else repr(float(value))


# f and lang are negotiated with the Accept headers by each handler, not by the route
# table's checker: every documented value must be answered (below), and a value outside
# them refused like any other enum's.
NEGOTIATED = ("f", "lang")
OUTSIDE_ENUM = "zz-not-a-value"


def outside_values(p, schema, path):
    """(value, bound text or None, expect 2xx) just outside each documented bound, and
    outside the enum."""
    kind = schema.get("type")
    if kind in ("integer", "number"):
        step = 1 if kind == "integer" else 0.5
        is_integer = kind == "integer"
        if "minimum" in schema:
            yield (value_text(schema["minimum"] - step, is_integer),
                   bound_text(schema["minimum"], is_integer), False)
        if "maximum" in schema:
            is_page = p["name"] == "limit" and path.endswith(FEATURE_PAGES)
            yield (value_text(schema["maximum"] + step, is_integer),
                   bound_text(schema["maximum"], is_integer), is_page)
    elif "enum" in schema:
        yield (OUTSIDE_ENUM, None, False)


def default_problem(schema):
    """Why a documented default disagrees with the documented bounds, or None."""
    value = schema.get("default")
    if value is None or schema.get("type") not in ("integer", "number"):
        return None
    if value < schema.get("minimum", value) or value > schema.get("maximum", value):
        return "default %s outside %s..%s" % (value, schema.get("minimum"),
                                               schema.get("maximum"))
    return None


def check_bounds(path, target, base, p):
    """Failures of one documented parameter's bounds; the number of refusals seen."""
    schema = resolve(api, p.get("schema", {}))
    problems, n = [], 0
    if default_problem(schema):
        problems.append("%s %s: %s" % (path, p["name"], default_problem(schema)))
    for value, bound, expect_ok in outside_values(p, schema, path):
        query = dict(base)
        query[p["name"]] = value
        status, body = get(target, query)
        text = (body or {}).get("description", "") if isinstance(body, dict) else ""
        if expect_ok:
            good = status < 300
        else:
            # A bound is named with its parameter; a refused word, by the parameter or
            # by quoting it (a statistic's combinations are checked first).
            names = text.startswith(p["name"] + ":") if bound is not None else \
                p["name"] in text or "'%s'" % OUTSIDE_ENUM in text
            good = status == 400 and names and (bound is None or bound in text)
            n += good
        if not good:
            problems.append("%s %s: %s=%s (bound %s) answered %d: %s"
                            % (path, target, p["name"], value, bound, status, text[:160]))
    return problems, n


seconds = {}  # per path: where the probe's time goes
n_routes = n_documented = n_accepted = n_ok = n_refused = n_bounds = n_values = 0
failures = []
for path, item in sorted(api["paths"].items()):
    op = item.get("get")
    # Each collection's own items path has the same parameters as the template path and
    # its fields: one collection (the one the values are for) stands for them all.
    is_other_collection = path.startswith("/collections/") and "{" not in path and \
        path != "/collections/%s/items" % layer
    if op is None or is_other_collection:
        continue
    started = time.monotonic()
    params = [resolve(api, p) for p in op.get("parameters", [])]
    target = concrete(path, params)
    # A statistic needs its question: the featured one's parameters, each replaced in turn.
    base = dict(statistic_query) if any(p["name"] == "by" for p in params) else {}
    if any(p["name"] == "ids" for p in params):
        base["ids"] = NAMED_VALUES["ids"]
    # Posters and comparisons drawn small: the probe is about names, not drawing.
    if any(p["name"] == "width" for p in params):
        base.update({"width": "160", "height": "120"})
    n_routes += 1
    for p in params:
        if p["in"] != "query":
            continue
        n_documented += 1
        query = dict(base)
        if p["name"] not in base:
            query[p["name"]] = valid_value(p["name"], resolve(api, p.get("schema", {})))
        status, body = get(target, query)
        text = (body or {}).get("description", "") if isinstance(body, dict) else ""
        if status >= 500 or (status == 400 and "unknown parameter" in text):
            failures.append("%s %s: documented %s=%s answered %d: %s"
                            % (path, target, p["name"], query[p["name"]], status, text))
            continue
        n_accepted += 1
        if status < 300:
            n_ok += 1
        else:
            print("  note: %s %s=%s answered %d: %s" % (path, p["name"], query[p["name"]],
                                                      status, text[:100]))
    # Every documented format and language is answered, not only the first.
    for p in params:
        schema = resolve(api, p.get("schema", {}))
        if p["in"] != "query" or p["name"] not in NEGOTIATED:
            continue
        for value in schema.get("enum", [])[1:]:
            query = dict(base)
            query[p["name"]] = str(value)
            # As the public reads them (a facilitator's view of sketches is GeoJSON only),
            # or with the token where the route needs one.
            status, body = get(target, query, anonymous=True)
            if status in (401, 403):
                status, body = get(target, query)
            n_values += 1
            if status >= 400:
                text = (body or {}).get("description", "") if isinstance(body, dict) else ""
                failures.append("%s %s: documented %s=%s answered %d: %s"
                                % (path, target, p["name"], value, status, text[:160]))
    for p in params:
        if p["in"] == "query" and p["name"] not in base:
            problems, n = check_bounds(path, target, base, p)
            failures.extend(problems)
            n_bounds += n
    query = dict(base)
    query[UNDOCUMENTED] = "1"
    status, body = get(target, query)
    text = (body or {}).get("description", "") if isinstance(body, dict) else ""
    if status == 400 and "unknown parameter '%s'" % UNDOCUMENTED in text:
        n_refused += 1
    else:
        failures.append("%s %s: the undocumented %s answered %d: %s"
                        % (path, target, UNDOCUMENTED, status, text[:200]))
    seconds[path] = time.monotonic() - started

print("slowest: " + ", ".join("%s %.1f s" % (p, t) for p, t in
                             sorted(seconds.items(), key=lambda x: -x[1])[:6]))
for f in failures:
    print("FAIL " + f)
print("routes %d documented %d accepted %d ok-2xx %d undocumented-refused %d bounds-refused %d "
      "formats-and-languages %d" % (n_routes, n_documented, n_accepted, n_ok, n_refused, n_bounds,
                                    n_values))
sys.exit(1 if failures else 0)
