"""The planning answers in plain words, Dutch by default and English on request.

Numbers use a decimal comma in Dutch; every sentence names what it compares, so that a
policy officer can read it aloud without the table.
"""

from __future__ import annotations

from matching.explain import CARE_KIND_NAMES, HOME_TYPE_NAMES, Lang, need_text
from matching.privacy import number
from solver.planning.frontier import FrontierPoint
from solver.planning.recruitment import Profile

__all__ = ["choice_text", "frontier_text", "number", "profile_text", "recruitment_text"]


def frontier_text(
    points: tuple[FrontierPoint, ...], lang: Lang, *, counts: bool = True
) -> str | None:
    """What placing the last children costs, from the lowest point with an answer to the top.

    The extra distance per extra child is the growth of the summed distance to the
    parents over all placed children, divided by the extra children: the price the
    lexicographic rule pays for each of them. A point where nobody is placed has no mean
    or median, and the sentence claims none for it. Without ``counts`` (a municipality's
    answer whose counts are hidden) the sentence names no number of placed children and
    no summed distance, only the mean and median of the points that show them.
    """
    if counts:
        known = [p for p in points if p.distance_total_km is not None]
    else:
        known = [p for p in points if p.distance_mean_km is not None]
    if len(known) < 2:
        return None
    low, top = known[0], known[-1]
    n = top.placed - low.placed
    values = {
        "mean0": number(low.distance_mean_km or 0.0, lang),
        "mean1": number(top.distance_mean_km or 0.0, lang),
        "med0": number(low.distance_median_km or 0.0, lang),
        "med1": number(top.distance_median_km or 0.0, lang),
        "low": low.placed,
        "top": top.placed,
    }
    words = _FRONTIER[lang]
    if lang == "nl":
        # "het laatste kind" (kind is a het-word), "de laatste 3 kinderen".
        kids = "Het laatste kind" if n == 1 else f"De laatste {n} kinderen"
        placed = "geplaatst kind" if top.placed == 1 else "geplaatste kinderen"
    else:
        kids = "the last child" if n == 1 else f"the last {n} children"
        placed = "placed child" if top.placed == 1 else "placed children"
    if not counts:
        return words["no_counts"].format(kids=kids, **values)
    per_child = ((top.distance_total_km or 0.0) - (low.distance_total_km or 0.0)) / n
    head = words["per_child"].format(kids=kids, per=number(per_child, lang))
    move = words["move" if low.distance_mean_km is not None else "from_none"]
    return f"{head} {move.format(placed=placed, **values)}"


_FRONTIER = {
    "nl": {
        "per_child": (
            "{kids} plaatsen kost gemiddeld {per} km extra afstand tot de ouders per extra "
            "geplaatst kind (opgeteld over alle geplaatste kinderen)."
        ),
        "move": (
            "Van {low} naar {top} geplaatste kinderen gaat de gemiddelde afstand van {mean0} "
            "naar {mean1} km en de mediaan van {med0} naar {med1} km."
        ),
        "from_none": (
            "Met {top} {placed} is de gemiddelde afstand {mean1} km en de mediaan {med1} km."
        ),
        "no_counts": (
            "{kids} plaatsen: de gemiddelde afstand tot de ouders gaat van {mean0} naar "
            "{mean1} km en de mediaan van {med0} naar {med1} km."
        ),
    },
    "en": {
        "per_child": (
            "Placing {kids} costs on average {per} km of extra distance to the parents per "
            "extra placed child (summed over all placed children)."
        ),
        "move": (
            "From {low} to {top} placed children the mean distance goes from {mean0} to "
            "{mean1} km and the median from {med0} to {med1} km."
        ),
        "from_none": (
            "With {top} {placed} the mean distance is {mean1} km and the median {med1} km."
        ),
        "no_counts": (
            "Placing {kids}: the mean distance to the parents goes from {mean0} to {mean1} km "
            "and the median from {med0} to {med1} km."
        ),
    },
}


def choice_text(chosen: int | None, top: int, km: float | None, lang: Lang) -> str | None:
    """Which point the region's policy picks, in words."""
    if chosen is None or km is None:
        return None
    if lang == "nl":
        head = (
            f"Met het beleid max_extra_distance_km = {number(km, lang)} (één kind meer "
            f"geplaatst is {number(km, lang)} km opgetelde afstand waard) kiest de regio "
            f"het punt met {chosen} geplaatste kinderen"
        )
        return head + ("." if chosen == top else f", niet het maximum van {top}.")
    head = (
        f"With the policy max_extra_distance_km = {number(km, lang)} (one more placed child "
        f"is worth {number(km, lang)} km of summed distance) the region picks the point with "
        f"{chosen} placed children"
    )
    return head + ("." if chosen == top else f", not the maximum of {top}.")


#: The words of a recruitment profile's sentence, per language (``str.format``).
_PROFILE_WORDS = {
    "nl": {
        "near": "bij {name} ({code})",
        "far": "ver van de ouders (geheime plaatsing)",
        "recruit": "Werf een {home} {where} voor {kind}, leeftijd {ages}",
        "needs": ", zorgbehoefte {needs}",
        "siblings": ", voor {n} broers/zussen samen",
        "child": "kind",
        "children": "kinderen",
    },
    "en": {
        "near": "near {name} ({code})",
        "far": "far from the parents (confidential placement)",
        "recruit": "Recruit a {home} {where} for {kind}, age {ages}",
        "needs": ", care needs {needs}",
        "siblings": ", for {n} siblings together",
        "child": "child",
        "children": "children",
    },
}


def profile_text(p: Profile, lang: Lang) -> str:
    """One recruitment profile as a sentence, ending with its children's ids."""
    words = _PROFILE_WORDS[lang]
    kind = CARE_KIND_NAMES[lang].get(p.care_kind, p.care_kind)
    home = HOME_TYPE_NAMES[lang][p.home_type]
    ages = f"{p.age_min}" if p.age_min == p.age_max else f"{p.age_min}-{p.age_max}"
    needs = ", ".join(need_text(d, level, lang) for d, level in p.needs.items())
    where = (
        words["near"].format(name=p.municipality_name, code=p.municipality)
        if p.municipality is not None
        else words["far"]
    )
    text = words["recruit"].format(home=home, where=where, kind=kind, ages=ages)
    if needs:
        text += words["needs"].format(needs=needs)
    if p.siblings > 1:
        text += words["siblings"].format(n=p.siblings)
    n = len(p.children)
    ids = ", ".join(p.children)
    return text + f": {n} {words['child'] if n == 1 else words['children']} ({ids})."


#: Whom to recruit when the time limit cut the part-time check short (the plan's own
#: seating decided: nobody moved to make a part-time place free).
_RECRUITMENT_CUT_SHORT = {
    "nl": (
        "De lijst van wie te werven is niet bewezen, want de tijd was op: misschien kan een "
        "geregistreerde woonplek een kind uit de lijst toch nemen als een ander kind naar een "
        "bed verhuist. Een langere tijdslimiet gaat dat na."
    ),
    "en": (
        "The list of whom to recruit is not proven, because time ran out: a registered home "
        "might still take a child on the list if another child moved to a bed. A longer time "
        "limit checks that."
    ),
}


def recruitment_text(proven: bool, lang: Lang) -> str | None:
    """What a list of whom to recruit that a time limit cut short may get wrong (``None``
    when it is proven)."""
    return None if proven else _RECRUITMENT_CUT_SHORT[lang]
