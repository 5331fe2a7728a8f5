#!/usr/bin/python3
"""Compare what tests/upgrade/catalog.sql or tests/upgrade/data.sql printed
for two databases; print each difference naming the object, exit 1 on any.

  compare.py catalog NAME_A FILE_A NAME_B FILE_B [--view-cast-names]
      every catalog entry (object and property) of A and B: the same keys,
      the same values (a long value differs as a unified diff);
      --view-cast-names: in views' definitions, "NULL::text AS text" and
      "NULL::text" are the same (pg_upgrade re-creates an extension's views
      from their deparsed text, after which PostgreSQL prints the column
      name a cast implies in a UNION arm other than the first)
  compare.py rows NAME_A FILE_A NAME_B FILE_B [--filled]
      the data of every table and sequence of A (the rows pg_dump keeps) is in
      B unchanged; --filled: and every table of A that pg_dump keeps has rows
      (the fill reached it)
  compare.py shipped NAME_A FILE_A NAME_B FILE_B
      the rows the extension's scripts write are the same in A and B (but
      for those an admin changed on either side, which pg_dump keeps)
  compare.py columns FILE
      print the tables' column lists and config dump filters of a data
      snapshot (for data.sql's columns variable)
Used by scripts/test-upgrade.sh.
"""
import difflib
import json
import re
import sys

MAX_ROWS_SHOWN = 5


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read().strip()
    if not text:
        sys.exit(f"compare.py: {path} is empty (did the query fail?)")
    return json.loads(text)


def catalog_entries(path):
    entries = {}
    for key, value in load(path):
        n = 2
        unique = key
        while unique in entries:
            unique = f"{key} #{n}"
            n += 1
        entries[unique] = value
    return entries


# "<expr>::<type> AS <the name that cast implies>", at the end of a line.
CAST_NAME = re.compile(r"(::[a-z ]+(?:\([0-9, ]+\))?(?:\[\])?) AS \"?(text|bool|int2|int4|int8|numeric|float4|float8|"
                       r"date|timestamptz|timestamp|jsonb|json|interval|time|varchar|bpchar)\"?(,?)$", re.M)


def without_cast_names(entries):
    return {k: CAST_NAME.sub(r"\1\3", v) if k.startswith("view ") else v for k, v in entries.items()}


def compare_catalog(name_a, a, name_b, b):
    problems = 0
    for key in sorted(a.keys() - b.keys()):
        print(f"  only in {name_a}: {key}: {a[key]}")
        problems += 1
    for key in sorted(b.keys() - a.keys()):
        print(f"  only in {name_b}: {key}: {b[key]}")
        problems += 1
    for key in sorted(a.keys() & b.keys()):
        if a[key] == b[key]:
            continue
        problems += 1
        va, vb = a[key], b[key]
        if "\n" not in va and "\n" not in vb and len(va) + len(vb) < 300:
            print(f"  differs: {key}\n    {name_a}: {va}\n    {name_b}: {vb}")
        else:
            print(f"  differs: {key}")
            diff = difflib.unified_diff(va.splitlines(), vb.splitlines(), name_a, name_b, lineterm="", n=2)
            for line in diff:
                print(f"    {line}")
    return problems


def multiset_diff(rows_a, rows_b):
    remaining = {}
    for r in rows_b:
        remaining[r] = remaining.get(r, 0) + 1
    missing = []
    for r in rows_a:
        if remaining.get(r, 0) > 0:
            remaining[r] -= 1
        else:
            missing.append(r)
    extra = [r for r, n in remaining.items() for _ in range(n)]
    return missing, extra


def show(label, rows):
    for r in rows[:MAX_ROWS_SHOWN]:
        print(f"      {label} {r}")
    if len(rows) > MAX_ROWS_SHOWN:
        print(f"      ... and {len(rows) - MAX_ROWS_SHOWN} more")


def compare_rows(name_a, a, name_b, b, kind, filled, both_ways):
    problems = 0
    tables = sorted(set(a) | set(b)) if both_ways else sorted(a)
    for table in tables:
        if table not in b:
            print(f"  {table}: in {name_a}, missing in {name_b}")
            problems += 1
            continue
        if table not in a:
            print(f"  {table}: in {name_b}, missing in {name_a}")
            problems += 1
            continue
        ta, tb = a[table], b[table]
        if tb.get("missing_columns"):
            print(f"  {table}: columns of {name_a} missing in {name_b}: {', '.join(tb['missing_columns'])}")
            problems += 1
        # (A table of shipped rows only, not config-dumped, has no rows of this kind.)
        if kind == "rows" and filled and ta["columns"] and ta.get("condition") is not None and ta["count"] == 0:
            print(f"  {table}: no rows in {name_a}: the fill (tests/upgrade/fill.sql) does not reach it")
            problems += 1
        if kind == "rows":
            rows_a, rows_b = ta["rows"], tb["rows"]
        else:
            # A shipped row an admin changed is the admin's (pg_dump keeps it):
            # it is left out where the other side has it as such.
            keys_a, keys_b = set(ta.get("keys", [])), set(tb.get("keys", []))
            rows_a = [r["row"] for r in ta["shipped"] if r["key"] not in keys_b]
            rows_b = [r["row"] for r in tb["shipped"] if r["key"] not in keys_a]
        missing, extra = multiset_diff(rows_a, rows_b)
        if missing or extra:
            problems += 1
            what = "rows" if kind == "rows" else "shipped rows (without timestamps)"
            cols = ta["columns"] if kind == "rows" else ta.get("shipped_columns", [])
            print(f"  {table}: {what} differ ({len(rows_a)} in {name_a}, {len(rows_b)} in {name_b});"
                  f" columns ({', '.join(cols)})")
            show(f"only in {name_a}:", missing)
            show(f"only in {name_b}:", extra)
    return problems


def main(argv):
    if len(argv) == 3 and argv[1] == "columns":
        print(json.dumps({t: {"columns": v["columns"], "condition": v.get("condition")}
                          for t, v in load(argv[2]).items() if v["columns"]}))
        return 0
    if len(argv) < 6 or argv[1] not in ("catalog", "rows", "shipped"):
        sys.exit(__doc__)
    mode, name_a, file_a, name_b, file_b = argv[1:6]
    if mode == "catalog":
        a, b = catalog_entries(file_a), catalog_entries(file_b)
        if "--view-cast-names" in argv[6:]:
            a, b = without_cast_names(a), without_cast_names(b)
        problems = compare_catalog(name_a, a, name_b, b)
    else:
        problems = compare_rows(name_a, load(file_a), name_b, load(file_b), mode, "--filled" in argv[6:],
                               both_ways=(mode == "shipped"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
