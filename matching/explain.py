"""Sentences for reasons and criteria, in Dutch (default) or English, for an audience.

Texts are rendered from the measured facts a :class:`~matching.rules.Reason` or
:class:`~matching.rules.Criterion` carries, so every number in a sentence is the number
the engine used. A coordinator sees everything. A provider never sees the parents'
postcode, and for a confidential placement (``min_distance_from_parents_km``) nothing
that reveals where the parents live: no distance to them, no municipality, no school
area, and no score or points from which a distance could be recomputed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from matching.documents import CriterionDoc, ExcludedCount, MemberDoc, ReasonDoc
from matching.model import Child
from matching.privacy import (
    Audience,
    Lang,
    criterion_for,
    member_for,
    number_text,
    points_text,
    reason_for,
)
from matching.rules import Criterion, CriterionCode, MemberScore, Reason, ReasonCode

__all__ = [
    "DECLINE_REASON_NAMES",
    "DOMAIN_NAMES",
    "HOME_TYPE_NAMES",
    "LANGUAGE_NAMES",
    "REASON_LABELS",
    "RELIGION_NAMES",
    "RESIDENTIAL_REASON_NAMES",
    "Audience",
    "Lang",
    "criterion_doc",
    "criterion_json",
    "criterion_text",
    "excluded_summary",
    "member_doc",
    "member_json",
    "reason_doc",
    "reason_json",
    "reason_label",
    "reason_text",
]


HOME_TYPE_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "network_foster": "netwerkpleeggezin",
        "foster": "bestandspleeggezin",
        "family_home": "gezinshuis",
        "small_scale": "kleinschalige woonvoorziening",
        "residential": "leef- of behandelgroep",
    },
    "en": {
        "network_foster": "network foster home",
        "foster": "foster family",
        "family_home": "family home",
        "small_scale": "small-scale home",
        "residential": "residential group",
    },
}

DOMAIN_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "trauma": "trauma en hechting",
        "behaviour": "gedrag",
        "mental_health": "psychische problemen",
        "autism": "autisme",
        "lvb": "licht verstandelijke beperking",
        "medical": "medische zorg",
        "addiction": "verslaving",
    },
    "en": {
        "trauma": "trauma and attachment",
        "behaviour": "behaviour",
        "mental_health": "mental health",
        "autism": "autism",
        "lvb": "mild intellectual disability",
        "medical": "medical care",
        "addiction": "addiction",
    },
}

LEVEL_NAMES = {
    "nl": ["geen", "licht", "matig", "intensief"],
    "en": ["none", "light", "moderate", "intensive"],
}

SPLIT_REASON_NAMES = {
    "nl": {
        "specialist_care": "specialistische zorg",
        "sibling_threat": "bedreiging van een broer of zus",
        "severe_conflict": "ernstig conflict",
        "sexual_abuse_suspected": "vermoeden van seksueel misbruik",
        "other": "andere vastgelegde reden",
    },
    "en": {
        "specialist_care": "specialist care",
        "sibling_threat": "a threat to a sibling",
        "severe_conflict": "severe conflict",
        "sexual_abuse_suspected": "suspected sexual abuse",
        "other": "another recorded reason",
    },
}


RELIGION_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "christian": "christelijk",
        "catholic": "katholiek",
        "protestant": "protestants",
        "muslim": "islamitisch",
        "jewish": "joods",
        "hindu": "hindoeïstisch",
        "buddhist": "boeddhistisch",
        "humanist": "humanistisch",
        "none": "geen geloof",
    },
    "en": {
        "christian": "Christian",
        "catholic": "Catholic",
        "protestant": "Protestant",
        "muslim": "Muslim",
        "jewish": "Jewish",
        "hindu": "Hindu",
        "buddhist": "Buddhist",
        "humanist": "humanist",
        "none": "no religion",
    },
}

#: ISO 639-1 codes of the home languages met in Dutch youth care; another code is shown
#: in capitals (``XX``), so that it reads as a code and not as a word.
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "nl": "Nederlands",
        "en": "Engels",
        "fy": "Fries",
        "ar": "Arabisch",
        "tr": "Turks",
        "pl": "Pools",
        "ti": "Tigrinya",
        "so": "Somalisch",
        "fa": "Perzisch",
        "ps": "Pasjtoe",
        "ku": "Koerdisch",
        "uk": "Oekraïens",
        "ru": "Russisch",
        "de": "Duits",
        "fr": "Frans",
        "es": "Spaans",
        "pt": "Portugees",
        "ro": "Roemeens",
        "bg": "Bulgaars",
        "am": "Amhaars",
        "ber": "Berbers",
        "zgh": "Berbers",
        "pap": "Papiaments",
        "srn": "Sranantongo",
        "hi": "Hindi",
        "ur": "Urdu",
        "zh": "Chinees",
        "vi": "Vietnamees",
    },
    "en": {
        "nl": "Dutch",
        "en": "English",
        "fy": "Frisian",
        "ar": "Arabic",
        "tr": "Turkish",
        "pl": "Polish",
        "ti": "Tigrinya",
        "so": "Somali",
        "fa": "Persian",
        "ps": "Pashto",
        "ku": "Kurdish",
        "uk": "Ukrainian",
        "ru": "Russian",
        "de": "German",
        "fr": "French",
        "es": "Spanish",
        "pt": "Portuguese",
        "ro": "Romanian",
        "bg": "Bulgarian",
        "am": "Amharic",
        "ber": "Berber",
        "zgh": "Berber",
        "pap": "Papiamento",
        "srn": "Sranan Tongo",
        "hi": "Hindi",
        "ur": "Urdu",
        "zh": "Chinese",
        "vi": "Vietnamese",
    },
}

RESIDENTIAL_REASON_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "specialist_treatment": "specialistische behandeling",
        "safety": "veiligheid",
        "no_family_option": "geen gezinsvorm mogelijk",
        "other": "andere vastgelegde reden",
    },
    "en": {
        "specialist_treatment": "specialist treatment",
        "safety": "safety",
        "no_family_option": "no family-like option",
        "other": "another recorded reason",
    },
}


def religion_name(code: str, lang: Lang) -> str:
    return RELIGION_NAMES[lang].get(code, code)


def language_name(code: str, lang: Lang) -> str:
    return LANGUAGE_NAMES[lang].get(code, code.upper())


def _num(x: float, lang: Lang) -> str:
    return number_text(x, lang)


def _pts(c: Criterion, lang: Lang) -> str:
    return points_text(c.points, c.max_points, lang)


def _domain(d: str, lang: Lang) -> str:
    return DOMAIN_NAMES[lang].get(d, d)


def _level(n: int, lang: Lang) -> str:
    return f"{n} ({LEVEL_NAMES[lang][n]})"


# ---------------------------------------------------------------------------------------
# Reasons


def _r_beds(d: Mapping[str, Any], lang: Lang) -> str:
    if d.get("part_time"):
        if lang == "nl":
            return (
                f"Te weinig vrije deeltijdplaatsen: {d['beds_free']} vrij, "
                f"{d['beds_needed']} nodig."
            )
        return (
            f"Not enough free part-time places: {d['beds_free']} free, {d['beds_needed']} needed."
        )
    if lang == "nl":
        return f"Te weinig vrije bedden: {d['beds_free']} vrij, {d['beds_needed']} nodig."
    return f"Not enough free beds: {d['beds_free']} free, {d['beds_needed']} needed."


def _r_siblings(d: Mapping[str, Any], lang: Lang) -> str:
    if lang == "nl":
        return (
            f"Neemt uit één gezin hoogstens {d['max_siblings']} kind(eren) samen op; "
            f"deze broers-zussengroep telt {d['group_size']} kinderen."
        )
    return (
        f"Takes at most {d['max_siblings']} siblings together; "
        f"this group has {d['group_size']} children."
    )


def _r_age(d: Mapping[str, Any], lang: Lang) -> str:
    if lang == "nl":
        return f"Leeftijd {d['age']} valt buiten {d['age_min']}-{d['age_max']} jaar."
    return f"Age {d['age']} is outside {d['age_min']}-{d['age_max']} years."


def _r_care(d: Mapping[str, Any], lang: Lang) -> str:
    dom = _domain(d["domain"], lang)
    if lang == "nl":
        return (
            f"Zorgbehoefte {dom} niveau {_level(d['need'], lang)} gaat boven wat de "
            f"verzorgers aankunnen: {_level(d['capability'], lang)}."
        )
    return (
        f"Care need {dom} level {_level(d['need'], lang)} exceeds what the carers can "
        f"handle: {_level(d['capability'], lang)}."
    )


def _r_distance(d: Mapping[str, Any], lang: Lang) -> str:
    if lang == "nl":
        return (
            f"{_num(d['distance_km'], lang)} km van de ouders, verder dan de grens van "
            f"{_num(d['max_km'], lang)} km."
        )
    return (
        f"{_num(d['distance_km'], lang)} km from the parents, beyond the limit of "
        f"{_num(d['max_km'], lang)} km."
    )


def _r_safety(d: Mapping[str, Any], lang: Lang) -> str:
    if lang == "nl":
        return (
            f"Geheime plaatsing: {_num(d['distance_km'], lang)} km van de ouders, dichter "
            f"dan de vereiste {_num(d['min_km'], lang)} km."
        )
    return (
        f"Secret placement: {_num(d['distance_km'], lang)} km from the parents, closer "
        f"than the required {_num(d['min_km'], lang)} km."
    )


def _r_availability(d: Mapping[str, Any], lang: Lang) -> str:
    window = f"{d['available_from'] or '…'} – {d['available_until'] or '…'}"
    if lang == "nl":
        return f"Niet beschikbaar op {d['reference_date']} (beschikbaar {window})."
    return f"Not available on {d['reference_date']} (available {window})."


def _r_network(_: Mapping[str, Any], lang: Lang) -> str:
    if lang == "nl":
        return "Netwerkpleeggezin van een ander kind: alleen voor de kinderen die het kent."
    return "Another child's network foster home: only for the children it knows."


def _r_keep_apart(d: Mapping[str, Any], lang: Lang) -> str:
    if lang == "nl":
        return f"Moet gescheiden blijven van {d['other_child_id']}, die hier nu woont."
    return f"Must be kept apart from {d['other_child_id']}, who lives here now."


CARE_KIND_NAMES = {
    "nl": {
        "crisis": "crisisopvang",
        "short_term": "perspectiefzoekende zorg",
        "long_term": "perspectiefbiedende zorg",
        "part_time": "deeltijdpleegzorg",
    },
    "en": {
        "crisis": "crisis care",
        "short_term": "short-term care (while the future is decided)",
        "long_term": "long-term care (until adulthood)",
        "part_time": "part-time care (weekends and holidays)",
    },
}


def _kind(k: str, lang: Lang) -> str:
    return CARE_KIND_NAMES[lang].get(k, k)


def _r_care_kind(d: Mapping[str, Any], lang: Lang) -> str:
    offered = ", ".join(_kind(k, lang) for k in d["offered"])
    if lang == "nl":
        return f"Biedt geen {_kind(d['care_kind'], lang)}, alleen {offered}."
    return f"Does not offer {_kind(d['care_kind'], lang)}, only {offered}."


#: The categories carers decline in (the API's ``reason_code``); the history note of a
#: decline is ``"<code>"`` or ``"<code>: <their words>"``.
DECLINE_REASON_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "no_capacity": "geen plek",
        "child_profile": "past niet bij het kind",
        "timing": "niet op dit moment",
        "carer_circumstances": "omstandigheden van de verzorgers",
        "other": "andere reden",
    },
    "en": {
        "no_capacity": "no room",
        "child_profile": "does not fit the child",
        "timing": "not at this time",
        "carer_circumstances": "the carers' circumstances",
        "other": "another reason",
    },
}


def _why(d: Mapping[str, Any], lang: Lang) -> str:
    note = d.get("reason")
    if not note:
        return ""
    code, sep, words = str(note).partition(": ")
    if code in DECLINE_REASON_NAMES[lang]:
        note = DECLINE_REASON_NAMES[lang][code] + (f": {words}" if sep else "")
    return f" (reden: {note})" if lang == "nl" else f" (reason: {note})"


def _r_declined(d: Mapping[str, Any], lang: Lang) -> str:
    if lang == "nl":
        return (
            f"De verzorgers wezen dit kind af op {d['date']}{_why(d, lang)}; een afwijzing "
            f"telt {d['memory_days']} dagen."
        )
    return (
        f"The carers declined this child on {d['date']}{_why(d, lang)}; a decline counts "
        f"for {d['memory_days']} days."
    )


def _r_breakdown(d: Mapping[str, Any], lang: Lang) -> str:
    if lang == "nl":
        return (
            f"Een eerdere plaatsing van dit kind hier is afgebroken op {d['date']}{_why(d, lang)}."
        )
    return f"An earlier placement of this child here broke down on {d['date']}{_why(d, lang)}."


def _r_residential_gate(_: Mapping[str, Any], lang: Lang) -> str:
    if lang == "nl":
        return (
            "Residentiële groep: alleen met een vastgelegde reden voor een residentiële "
            "plaatsing, na het regionaal expertteam; gezinsgerichte zorg gaat voor."
        )
    return (
        "Residential group: only with a recorded reason for a residential placement, after "
        "the regional expert team; family-like care comes first."
    )


_REASONS: dict[ReasonCode, Callable[[Mapping[str, Any], Lang], str]] = {
    ReasonCode.BEDS: _r_beds,
    ReasonCode.SIBLINGS: _r_siblings,
    ReasonCode.AGE: _r_age,
    ReasonCode.CARE_NEED: _r_care,
    ReasonCode.DISTANCE: _r_distance,
    ReasonCode.SAFETY_DISTANCE: _r_safety,
    ReasonCode.AVAILABILITY: _r_availability,
    ReasonCode.NETWORK: _r_network,
    ReasonCode.KEEP_APART: _r_keep_apart,
    ReasonCode.CARE_KIND: _r_care_kind,
    ReasonCode.DECLINED: _r_declined,
    ReasonCode.BREAKDOWN: _r_breakdown,
    ReasonCode.RESIDENTIAL_GATE: _r_residential_gate,
}


REASON_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "beds": "Te weinig vrije bedden",
        "siblings": "Neemt de broers en zussen niet samen op",
        "age": "Leeftijd buiten het bereik",
        "care_need": "Zorgbehoefte gaat boven wat de verzorgers aankunnen",
        "distance": "Te ver van de ouders",
        "safety_distance": "Te dicht bij de ouders (geheime plaatsing)",
        "availability": "Niet beschikbaar op de peildatum",
        "network": "Netwerkpleeggezin van een ander kind",
        "keep_apart": "Er woont of komt een kind van wie het gescheiden moet blijven",
        "care_kind": "Biedt deze vorm van zorg niet",
        "declined": "Heeft dit kind onlangs afgewezen",
        "breakdown": "Een eerdere plaatsing hier is afgebroken",
        "residential_gate": "Residentieel zonder vastgelegde reden",
    },
    "en": {
        "beds": "Too few free beds",
        "siblings": "Does not take the siblings together",
        "age": "Age outside the range",
        "care_need": "Care needs exceed what the carers can handle",
        "distance": "Too far from the parents",
        "safety_distance": "Too close to the parents (secret placement)",
        "availability": "Not available on the reference date",
        "network": "Another child's network foster home",
        "keep_apart": "A child it must be kept apart from lives or goes there",
        "care_kind": "Does not offer this kind of care",
        "declined": "Declined this child recently",
        "breakdown": "An earlier placement here broke down",
        "residential_gate": "Residential without a recorded reason",
    },
}


def reason_label(code: str, lang: Lang = "nl") -> str:
    """The short heading of a reason code, as counts of excluded homes list it."""
    return REASON_LABELS[lang].get(code, code)


def excluded_summary(
    counts: Mapping[str, int], considered: int, lang: Lang = "nl"
) -> list[ExcludedCount]:
    """Homes excluded per reason code, most first: ``considered`` is every candidate home."""
    of = "van de {n} woonplekken" if lang == "nl" else "of the {n} homes"
    return [
        ExcludedCount.model_construct(
            code=code,
            homes=n,
            text=f"{reason_label(code, lang)}: {n} {of.format(n=considered)}.",
        )
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def reason_text(reason: Reason, lang: Lang = "nl") -> str:
    text = _REASONS[reason.code](reason.detail, lang)
    return f"{reason.child_id}: {text}" if reason.child_id else text


def reason_doc(
    reason: Reason,
    lang: Lang = "nl",
    audience: Audience = Audience.COORDINATOR,
    confidential: bool = False,
) -> ReasonDoc:
    """A reason as ``audience`` may read it (:func:`matching.privacy.reason_for`)."""
    doc: ReasonDoc = {
        "code": reason.code.value,
        "text": reason_text(reason, lang),
        "detail": dict(reason.detail),
    }
    if reason.child_id:
        doc["child_id"] = reason.child_id
    return reason_for(doc, audience, confidential, lang)


def reason_json(
    reason: Reason,
    lang: Lang = "nl",
    audience: Audience = Audience.COORDINATOR,
    confidential: bool = False,
) -> dict[str, Any]:
    return dict(reason_doc(reason, lang, audience, confidential))


# ---------------------------------------------------------------------------------------
# Criteria


def _c_type(c: Criterion, lang: Lang) -> str:
    name = HOME_TYPE_NAMES[lang][c.detail["home_type"]]
    if lang == "nl":
        return f"Soort plek: {name} (gezin eerst): {_pts(c, lang)}."
    return f"Kind of home: {name} (family first): {_pts(c, lang)}."


def _c_distance_plain(c: Criterion, lang: Lang) -> str:
    d = c.detail
    km, mx = _num(d["distance_km"], lang), _num(d["max_km"], lang)
    w = c.max_points
    if lang == "nl":
        return (
            f"{km} km van de ouders (postcode {d['parents_postcode']} naar "
            f"{d['home_postcode']}): {w} × (1 − {km}/{mx}) = {_pts(c, lang)}."
        )
    return (
        f"{km} km from the parents (postcode {d['parents_postcode']} to "
        f"{d['home_postcode']}): {w} × (1 − {km}/{mx}) = {_pts(c, lang)}."
    )


def _c_distance(c: Criterion, lang: Lang) -> str:
    text = _c_distance_plain(c, lang)
    spec = c.detail.get("specialist")
    if spec is None:
        return text
    doms = ", ".join(_domain(d, lang) for d in spec["domains"])
    limit = _num(float(spec["limit_km"]), lang)
    if lang == "nl":
        return (
            f"{text} Verder dan de gewone grens: intensieve zorg voor {doms} (niveau 3) is "
            f"dichterbij niet te vinden; bovenregionale grens {limit} km."
        )
    return (
        f"{text} Beyond the usual limit: intensive care for {doms} (level 3) cannot be "
        f"found nearer; supra-regional limit {limit} km."
    )


def _c_school(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if not d.get("applicable"):
        young = d.get("why") == "too_young"
        if lang == "nl":
            why = "nog niet naar school" if young else "geen school bekend"
            return f"School: {why}, er gaat niets verloren: {_pts(c, lang)}."
        why = "not yet at school" if young else "no school known"
        return f"School: {why}, nothing is lost: {_pts(c, lang)}."
    km, lim = _num(d["distance_km"], lang), _num(d["commute_km"], lang)
    if lang == "nl":
        verdict = (
            "kan op de eigen school blijven" if d["keeps_school"] else "moet van school wisselen"
        )
        return f"School op {km} km (grens {lim} km): {verdict}: {_pts(c, lang)}."
    verdict = "can stay at the same school" if d["keeps_school"] else "must change school"
    return f"School at {km} km (limit {lim} km): {verdict}: {_pts(c, lang)}."


def _c_siblings(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if d.get("together_with"):
        others = ", ".join(d["together_with"])
        if lang == "nl":
            return f"Samen geplaatst met broer(s)/zus(sen) {others}: {_pts(c, lang)}."
        return f"Placed together with sibling(s) {others}: {_pts(c, lang)}."
    if d.get("siblings"):
        reason = SPLIT_REASON_NAMES[lang].get(d.get("split_reason") or "other", "")
        others = ", ".join(d["siblings"])
        if lang == "nl":
            return f"Apart van {others} geplaatst; vastgelegde reden: {reason}: {_pts(c, lang)}."
        return f"Placed apart from {others}; recorded reason: {reason}: {_pts(c, lang)}."
    if lang == "nl":
        return "Geen broers of zussen op de wachtlijst: 0 punten."
    return "No siblings on the waiting list: 0 points."


def _c_stability(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if d.get("applicable") is False:
        kind = _kind(d["care_kind"], lang)
        if lang == "nl":
            return f"Stabiliteit: {kind} is tijdelijk, er gaat niets verloren: {_pts(c, lang)}."
        return f"Stability: {kind} is temporary, nothing is lost: {_pts(c, lang)}."
    if lang == "nl":
        return (
            f"Stabiliteit: kan het kind ({d['age']} jaar) houden tot en met {d['age_max']} "
            f"jaar, gewenst tot {d['adult_age']}: {_pts(c, lang)}."
        )
    return (
        f"Stability: can keep the child (age {d['age']}) up to age {d['age_max']}, wanted "
        f"until {d['adult_age']}: {_pts(c, lang)}."
    )


def _c_current(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if not d.get("applicable"):
        if lang == "nl":
            return "Woont nu nergens geplaatst: 0 punten."
        return "Not placed anywhere now: 0 points."
    if d.get("residential"):
        if lang == "nl":
            return (
                f"Huidige plek {d['current_home']} is een residentiële groep: blijven levert "
                f"geen punten op, uitstroom naar een gezin gaat voor: {_pts(c, lang)}."
            )
        return (
            f"Current home {d['current_home']} is a residential group: staying earns no "
            f"points, moving out to a family comes first: {_pts(c, lang)}."
        )
    if lang == "nl":
        text = "blijft wonen waar het nu woont" if d["stays"] else "moet verhuizen (doorplaatsing)"
        return f"Huidige plek {d['current_home']}: {text}: {_pts(c, lang)}."
    text = "stays where it lives now" if d["stays"] else "must move (a doorplaatsing)"
    return f"Current home {d['current_home']}: {text}: {_pts(c, lang)}."


def _c_municipality(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if lang == "nl":
        where = "in" if d["same"] else "buiten"
        return (
            f"Woonplek in {d['home_municipality']}, {where} de gemeente van de ouders "
            f"({d['parents_municipality']}): {_pts(c, lang)}."
        )
    where = "inside" if d["same"] else "outside"
    return (
        f"Home in {d['home_municipality']}, {where} the parents' municipality "
        f"({d['parents_municipality']}): {_pts(c, lang)}."
    )


def _c_religion(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if not d.get("applicable"):
        return (
            f"Geloof: geen wens vastgelegd: {_pts(c, lang)}."
            if lang == "nl"
            else f"Religion: no wish recorded: {_pts(c, lang)}."
        )
    home = religion_name(d["home"], lang) if d["home"] else None
    home = home or ("onbekend" if lang == "nl" else "unknown")
    child = religion_name(d["child"], lang)
    if lang == "nl":
        return f"Geloof: kind {child}, gezin {home}: {_pts(c, lang)}."
    return f"Religion: child {child}, home {home}: {_pts(c, lang)}."


def _c_language(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if not d.get("applicable"):
        return (
            f"Taal: geen wens vastgelegd: {_pts(c, lang)}."
            if lang == "nl"
            else f"Language: no wish recorded: {_pts(c, lang)}."
        )
    shared = ", ".join(language_name(x, lang) for x in d["shared"])
    if lang == "nl":
        if not shared:
            return f"Taal: geen gedeelde thuistaal: {_pts(c, lang)}."
        return f"Taal: gedeelde thuistaal {shared}: {_pts(c, lang)}."
    if not shared:
        return f"Language: no shared home language: {_pts(c, lang)}."
    return f"Language: shared home language {shared}: {_pts(c, lang)}."


def _c_care(c: Criterion, lang: Lang) -> str:
    needs: Mapping[str, int] = c.detail["needs"]
    caps: Mapping[str, int] = c.detail["capabilities"]
    if not needs:
        if lang == "nl":
            return "Zorg: geen bijzondere zorgbehoeften (voorwaarde, geen punten)."
        return "Care: no particular care needs (a condition, no points)."
    parts = ", ".join(f"{_domain(d, lang)} {n} ≤ {caps[d]}" for d, n in needs.items())
    if lang == "nl":
        return f"Zorg: alle behoeften gedekt ({parts}) (voorwaarde, geen punten)."
    return f"Care: every need covered ({parts}) (a condition, no points)."


def _c_waiting(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if d["waiting_since"] is None:
        if lang == "nl":
            return f"Wachttijd: geen startdatum vastgelegd: {_pts(c, lang)}."
        return f"Waiting time: no start date recorded: {_pts(c, lang)}."
    if lang == "nl":
        return (
            f"Wacht sinds {d['waiting_since']}: {d['weeks']} weken × {d['per_week']} "
            f"(hoogstens {c.max_points}): {_pts(c, lang)}."
        )
    return (
        f"Waiting since {d['waiting_since']}: {d['weeks']} weeks × {d['per_week']} "
        f"(at most {c.max_points}): {_pts(c, lang)}."
    )


def _wish_text(c: Criterion, lang: Lang) -> str:
    """The child's voice behind a criterion it named, with the day it was heard."""
    w = c.detail["wish"]
    factor = _num(float(w["factor"]), lang)
    note = f"“{w['note']}”" if w.get("note") else ""
    if lang == "nl":
        said = ", ".join(
            x for x in (note, f"gehoord op {w['heard_on']}" if w["heard_on"] else "") if x
        )
        heard = f" ({said})" if said else ""
        return f" Het kind vindt dit het belangrijkst{heard}: telt {factor} keer: {_pts(c, lang)}."
    said = ", ".join(x for x in (note, f"heard on {w['heard_on']}" if w["heard_on"] else "") if x)
    heard = f" ({said})" if said else ""
    return f" The child finds this most important{heard}: counts {factor} times: {_pts(c, lang)}."


_CRITERIA: dict[CriterionCode, Callable[[Criterion, Lang], str]] = {
    CriterionCode.TYPE: _c_type,
    CriterionCode.DISTANCE_PARENTS: _c_distance,
    CriterionCode.SCHOOL: _c_school,
    CriterionCode.SIBLINGS: _c_siblings,
    CriterionCode.STABILITY: _c_stability,
    CriterionCode.CURRENT_HOME: _c_current,
    CriterionCode.OWN_MUNICIPALITY: _c_municipality,
    CriterionCode.RELIGION: _c_religion,
    CriterionCode.LANGUAGE: _c_language,
    CriterionCode.CARE_NEEDS: _c_care,
    CriterionCode.WAITING: _c_waiting,
}

_VALUE_KEYS: dict[CriterionCode, str] = {
    CriterionCode.TYPE: "home_type",
    CriterionCode.DISTANCE_PARENTS: "distance_km",
    CriterionCode.SCHOOL: "distance_km",
    CriterionCode.SIBLINGS: "together_with",
    CriterionCode.STABILITY: "age_max",
    CriterionCode.CURRENT_HOME: "stays",
    CriterionCode.OWN_MUNICIPALITY: "same",
    CriterionCode.RELIGION: "same",
    CriterionCode.LANGUAGE: "shared",
    CriterionCode.CARE_NEEDS: "needs",
    CriterionCode.WAITING: "weeks",
}
_UNITS = {CriterionCode.DISTANCE_PARENTS: "km", CriterionCode.SCHOOL: "km"}


def criterion_text(criterion: Criterion, lang: Lang = "nl") -> str:
    wish = criterion.detail.get("wish")
    if wish is None:
        return _CRITERIA[criterion.code](criterion, lang)
    # The criterion's own sentence with its own arithmetic, then what the wish makes of it.
    base = replace(criterion, points=wish["base_points"], max_points=wish["base_max_points"])
    return _CRITERIA[criterion.code](base, lang) + _wish_text(criterion, lang)


def criterion_doc(
    criterion: Criterion,
    lang: Lang = "nl",
    audience: Audience = Audience.COORDINATOR,
    confidential: bool = False,
) -> CriterionDoc:
    """One criterion: points, the measured value, the facts and a sentence, as ``audience``
    may read it (:func:`matching.privacy.criterion_for`)."""
    code = criterion.code
    fields = {"criterion", "points", "max_points", "value", "text", "detail"}
    doc = CriterionDoc.model_construct(
        fields | ({"unit"} if code in _UNITS else set()),
        criterion=code.value,
        points=criterion.points,
        max_points=criterion.max_points,
        value=criterion.detail.get(_VALUE_KEYS[code]),
        text=criterion_text(criterion, lang),
        detail=dict(criterion.detail),
        unit=_UNITS.get(code),
    )
    return criterion_for(doc, audience, confidential, lang)


def criterion_json(
    criterion: Criterion,
    lang: Lang = "nl",
    audience: Audience = Audience.COORDINATOR,
    confidential: bool = False,
) -> dict[str, Any]:
    return criterion_doc(criterion, lang, audience, confidential).to_json()


def member_doc(
    member: MemberScore,
    child: Child,
    lang: Lang = "nl",
    audience: Audience = Audience.COORDINATOR,
) -> MemberDoc:
    doc = MemberDoc.model_construct(
        child_id=member.child_id,
        score=member.score,
        criteria=[criterion_doc(c, lang) for c in member.criteria],
    )
    return member_for(doc, audience, child.confidential, lang)


def member_json(
    member: MemberScore,
    child: Child,
    lang: Lang = "nl",
    audience: Audience = Audience.COORDINATOR,
) -> dict[str, Any]:
    return member_doc(member, child, lang, audience).to_json()
