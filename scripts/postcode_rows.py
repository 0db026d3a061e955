"""Which PC4s of the postcode table the engine corrects (places left out, or refused), and how.

For every PC4 that :func:`matching.geo.resolve_rows` corrects it prints the decision (the
places that locate it, or REFUSED with the reason), how far the location moved from the
plain mean of all its rows (the rule before), the municipality before and after, and
the numeric neighbours' votes per group of places where its rows disagreed. See docs/scoring.md,
"Postcodes whose places disagree".

Run: ``.venv/bin/python scripts/postcode_rows.py``.
"""

from __future__ import annotations

from matching.geo import (
    Location,
    distance_km,
    postcode_rows,
    postcode_table,
    resolve_rows,
)


def _plain_mean(pc4: str, rows: tuple[dict[str, str], ...]) -> Location:
    """The location the table gave before: the mean of every row, the majority code."""
    codes = [r["province_code"].zfill(4) for r in rows]
    code = max(codes, key=lambda c: (codes.count(c), -codes.index(c)))
    return Location(
        pc4=pc4,
        latitude=sum(float(r["latitude"]) for r in rows) / len(rows),
        longitude=sum(float(r["longitude"]) for r in rows) / len(rows),
        place=rows[codes.index(code)]["place"],
        municipality_code=code,
        municipality_name="",
    )


def main() -> int:
    table = postcode_table()
    corrected = [r for r in resolve_rows(list(postcode_rows())) if r.corrected]
    total = len(table) + len(table.refused)
    print(f"{len(corrected)} of {total} PC4s corrected (places left out, or refused)\n")
    print("PC4   decision                      moved km  municipality  votes / reason")
    for r in corrected:
        before = _plain_mean(r.pc4, r.all_rows)
        votes = "; ".join(f"{places}: {n}" for places, n in r.votes)
        if r.pc4 in table.refused:
            municipality = f"{before.municipality_code} -> -"
            print(f"{r.pc4}  {'REFUSED':<28}  {'-':>8}  {municipality:<12}  {table.refused[r.pc4]}")
            continue
        after = table.locate(r.pc4)
        decision = ", ".join(row["place"] for row in r.rows)
        moved = distance_km(before, after)
        municipality = f"{before.municipality_code} -> {after.municipality_code}"
        print(f"{r.pc4}  {decision:<28}  {moved:8.1f}  {municipality:<12}  {votes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
