"""Which PC4s of the postcode table the engine corrects, and how: places left out, the
PC4 located from its neighbours instead of its own places, or refused.

For every PC4 that :func:`matching.geo.resolve_rows` corrects it prints the decision (the
places that locate it, "located from its neighbours", or REFUSED), how far the location
moved from the plain mean of all its rows (the rule before), the municipality before and
after, the numeric neighbours' votes per group of places where its rows disagreed, and
why its own places were not trusted. See docs/scoring.md, "Postcodes whose places
disagree".

Run: ``.venv/bin/python scripts/postcode_rows.py``.
"""

from __future__ import annotations

from matching.geo import (
    Location,
    _location,
    distance_km,
    postcode_rows,
    postcode_table,
    resolve_rows,
)


def _plain_mean(pc4: str, rows: tuple[dict[str, str], ...]) -> Location:
    """The location the table gave before: every row, as if they all agreed."""
    return _location(pc4, list(rows))


def main() -> int:
    table = postcode_table()
    corrected = [r for r in resolve_rows(list(postcode_rows())) if r.corrected]
    total = len(table) + len(table.refused)
    located = sum(r.located_from_neighbours for r in corrected)
    print(
        f"{len(corrected)} of {total} PC4s corrected (places left out, located from its"
        f" neighbours: {located}, refused: {len(table.refused)})\n"
    )
    print("PC4   decision                      moved km  municipality  votes / reason")
    for r in corrected:
        before = _plain_mean(r.pc4, r.all_rows)
        why = "; ".join(f"{places}: {n}" for places, n in r.votes)
        why = f"{why} | {r.reason}" if why and r.reason else why or r.reason
        if r.refused:
            municipality = f"{before.municipality_code} -> -"
            print(f"{r.pc4}  {'REFUSED':<28}  {'-':>8}  {municipality:<12}  {why}")
            continue
        after = table.locate(r.pc4)
        if r.located_from_neighbours:
            decision = "located from its neighbours"
        else:
            decision = ", ".join(row["place"] for row in r.rows)
        moved = distance_km(before, after)
        municipality = f"{before.municipality_code} -> {after.municipality_code}"
        print(f"{r.pc4}  {decision:<28}  {moved:8.1f}  {municipality:<12}  {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
