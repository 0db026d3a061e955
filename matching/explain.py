"""Sentences for reasons and criteria, in Dutch (default) or English, for an audience.

Texts are rendered from the measured facts a :class:`~matching.rules.Reason` or
:class:`~matching.rules.Criterion` carries, so every number in a sentence is the number
the engine used. A coordinator sees everything. A provider never sees the parents'
postcode, and for a confidential placement (``min_distance_from_parents_km``) nothing
that reveals where the parents live: no distance to them, no municipality, no school
area, and no score or points from which a distance could be recomputed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any, Literal

from matching.documents import Confidential, CriterionDoc, ExcludedCount, MemberDoc, ReasonDoc
from matching.model import Child
from matching.privacy import (
    Audience,
    Lang,
    criterion_for,
    member_for,
    number_text,
    points_text,
    reason_for,
    told_detail,
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
    "children_text",
    "counted",
    "criterion_doc",
    "criterion_text",
    "excluded_summary",
    "join_words",
    "level_text",
    "member_doc",
    "member_points_doc",
    "need_text",
    "reason_doc",
    "reason_label",
    "reason_text",
    "told",
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


def _name(names: Mapping[str, Mapping[str, str]], code: str, lang: Lang) -> str:
    """``code``'s name in ``lang`` from one of the tables of names; an unknown code stands
    as it is."""
    return names[lang].get(code, code)


def language_name(code: str, lang: Lang) -> str:
    return LANGUAGE_NAMES[lang].get(code, code.upper())


def _num(x: float, lang: Lang) -> str:
    return number_text(x, lang)


def _pts(c: Criterion, lang: Lang) -> str:
    return points_text(c.points, c.max_points, lang)


def level_text(n: int, lang: Lang = "nl") -> str:
    """A care level as a coordinator reads it, its number kept: 'matig (2)'."""
    return f"{LEVEL_NAMES[lang][n]} ({n})"


def need_text(domain: str, level: int, lang: Lang = "nl") -> str:
    """A care need, its level worded as :func:`level_text` words it: 'autisme intensief (3)'
    (the recruitment profiles of a capacity plan name needs so)."""
    return f"{_name(DOMAIN_NAMES, domain, lang)} {level_text(level, lang)}"


# ---------------------------------------------------------------------------------------
# Reasons

#: Each reason's sentence per language, filled in (``str.format``) from the reason's
#: detail, with what :data:`_REASON_VALUES` puts in words; ``beds_part_time`` is ``beds``
#: for part-time places, ``care_kind_lives_here`` is ``care_kind`` for the home a child in
#: part-time care lives in.
REASON_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "beds": "Te weinig vrije bedden: {beds_free} vrij, {beds_needed} nodig.",
        "beds_part_time": (
            "Te weinig vrije deeltijdplaatsen: {beds_free} vrij, {beds_needed} nodig."
        ),
        "siblings": (
            "Neemt uit één gezin hoogstens {max_children} samen op; "
            "deze broers-zussengroep telt {group_size} kinderen."
        ),
        "siblings_living_here": (
            "Neemt uit één gezin hoogstens {max_children} op, en hier woont al "
            "{living_here_words} (broer of zus, apart geplaatst)."
        ),
        "age": "Leeftijd {age} valt buiten {age_min}-{age_max} jaar.",
        "care_need": (
            "Zorgbehoefte {domain} {need} gaat boven wat de verzorgers aankunnen: {capability}."
        ),
        "distance": "{distance_km} km van de ouders, verder dan de grens van {max_km} km.",
        "safety_distance": (
            "Geheime plaatsing: {distance_km} km van de ouders, dichter dan de vereiste "
            "{min_km} km."
        ),
        "availability": "Niet beschikbaar op {reference_date} (beschikbaar {window}).",
        "network": "Netwerkpleeggezin van een ander kind: alleen voor de kinderen die het kent.",
        "keep_apart": "Moet gescheiden blijven van {other_child_id}, die hier nu woont.",
        "care_kind": "Biedt geen {care_kind}, alleen {offered}.",
        "care_kind_lives_here": (
            "Het kind woont hier; deeltijdpleegzorg (weekends en vakanties) is elders."
        ),
        "declined": (
            "De verzorgers wezen dit kind af op {date}{why}; een afwijzing telt "
            "{memory_days} dagen."
        ),
        "breakdown": "Een eerdere plaatsing van dit kind hier is afgebroken op {date}{why}.",
        "residential_gate": (
            "Residentiële groep: alleen met een vastgelegde reden voor een residentiële "
            "plaatsing, na het regionaal expertteam; gezinsgerichte zorg gaat voor."
        ),
    },
    "en": {
        "beds": "Not enough free beds: {beds_free} free, {beds_needed} needed.",
        "beds_part_time": (
            "Not enough free part-time places: {beds_free} free, {beds_needed} needed."
        ),
        "siblings": (
            "Takes at most {max_children} of one family together; this group has {group_size} "
            "children."
        ),
        "siblings_living_here": (
            "Takes at most {max_children} of one family, and {living_here_words} "
            "(a brother or sister placed apart) already lives here."
        ),
        "age": "Age {age} is outside {age_min}-{age_max} years.",
        "care_need": (
            "Care need {domain} {need} exceeds what the carers can handle: {capability}."
        ),
        "distance": "{distance_km} km from the parents, beyond the limit of {max_km} km.",
        "safety_distance": (
            "Secret placement: {distance_km} km from the parents, closer than the required "
            "{min_km} km."
        ),
        "availability": "Not available on {reference_date} (available {window}).",
        "network": "Another child's network foster home: only for the children it knows.",
        "keep_apart": "Must be kept apart from {other_child_id}, who lives here now.",
        "care_kind": "Does not offer {care_kind}, only {offered}.",
        "care_kind_lives_here": (
            "The child lives here; part-time care (weekends and holidays) is elsewhere."
        ),
        "declined": (
            "The carers declined this child on {date}{why}; a decline counts for "
            "{memory_days} days."
        ),
        "breakdown": "An earlier placement of this child here broke down on {date}{why}.",
        "residential_gate": (
            "Residential group: only with a recorded reason for a residential placement, after "
            "the regional expert team; family-like care comes first."
        ),
    },
}

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


_MONTHS: dict[str, list[str]] = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def _day(value: object, lang: Lang) -> str:
    """A day as a sentence read aloud says it: ``2026-11-20`` -> '20 november 2026' (the
    screens' long dates, Babel's); anything else, such as '…', unchanged."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def _why(d: Mapping[str, Any], lang: Lang) -> str:
    note = d.get("reason")
    if not note:
        return ""
    code, sep, words = str(note).partition(": ")
    if code in DECLINE_REASON_NAMES[lang]:
        note = DECLINE_REASON_NAMES[lang][code] + (f": {words}" if sep else "")
    return f" (reden: {note})" if lang == "nl" else f" (reason: {note})"


#: The kinds of care from the shortest stay to the longest, then part-time: how a sentence
#: lists them (the detail's list is sorted by code).
_KIND_ORDER = {k: i for i, k in enumerate(("crisis", "short_term", "long_term", "part_time"))}


def _in_order(kinds: list[str]) -> list[str]:
    return sorted(kinds, key=lambda k: _KIND_ORDER.get(k, len(_KIND_ORDER)))


def join_words(parts: list[str], lang: Lang) -> str:
    """``a, b en c`` (``a, b and c``): the parts as one phrase."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + (" en " if lang == "nl" else " and ") + parts[-1]


def counted(n: int, forms: str) -> str:
    """``n`` with its noun in the number it needs: ``forms`` is 'singular|plural'."""
    one, many = forms.split("|")
    return f"{n} {one if n == 1 else many}"


def children_text(n: int, lang: Lang) -> str:
    """``1 kind``, ``2 kinderen`` (``1 child``, ``2 children``)."""
    return counted(n, "kind|kinderen" if lang == "nl" else "child|children")


def _weeks(n: int, lang: Lang) -> str:
    """``1 week``, ``2 weken`` (``1 week``, ``2 weeks``)."""
    return counted(n, "week|weken" if lang == "nl" else "week|weeks")


def _distance_values(d: Mapping[str, Any], lang: Lang) -> dict[str, str]:
    return {k: _num(d[k], lang) for k in ("distance_km", "max_km", "min_km") if k in d}


_REASON_VALUES: dict[ReasonCode, Callable[[Mapping[str, Any], Lang], dict[str, str]]] = {
    ReasonCode.CARE_NEED: lambda d, lang: {
        "domain": _name(DOMAIN_NAMES, d["domain"], lang),
        "need": level_text(d["need"], lang),
        "capability": level_text(d["capability"], lang),
    },
    ReasonCode.DISTANCE: _distance_values,
    ReasonCode.SAFETY_DISTANCE: _distance_values,
    ReasonCode.AVAILABILITY: lambda d, lang: {
        "reference_date": _day(d["reference_date"], lang),
        "window": f"{_day(d['available_from'] or '…', lang)} – "
        f"{_day(d['available_until'] or '…', lang)}",
    },
    ReasonCode.CARE_KIND: lambda d, lang: {
        "care_kind": _name(CARE_KIND_NAMES, d["care_kind"], lang),
        "offered": join_words(
            [_name(CARE_KIND_NAMES, k, lang) for k in _in_order(d["offered"])], lang
        ),
    },
    ReasonCode.DECLINED: lambda d, lang: {"why": _why(d, lang), "date": _day(d["date"], lang)},
    ReasonCode.SIBLINGS: lambda d, lang: {"max_children": children_text(d["max_siblings"], lang)},
    ReasonCode.BREAKDOWN: lambda d, lang: {"why": _why(d, lang), "date": _day(d["date"], lang)},
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
        "confidential": "Om een vertrouwelijke reden (geheime plaatsing)",
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
        "confidential": "For a confidential reason (secret placement)",
    },
}


def reason_label(code: str, lang: Lang = "nl") -> str:
    """The short heading of a reason code, as counts of excluded homes list it."""
    return REASON_LABELS[lang].get(code, code)


def reason_code_of(value: str) -> ReasonCode | Confidential:
    """A reason code read back from a JSON document (a provider's may be ``confidential``)."""
    return "confidential" if value == "confidential" else ReasonCode(value)


def excluded_summary(
    counts: Iterable[tuple[ReasonCode | Confidential, int]], considered: int, lang: Lang = "nl"
) -> list[ExcludedCount]:
    """Homes excluded per reason code, most first: ``considered`` is every candidate home."""
    of = "van de {n} woonplekken" if lang == "nl" else "of the {n} homes"
    return [
        ExcludedCount.model_construct(
            code=code,
            homes=n,
            text=f"{reason_label(code, lang)}: {n} {of.format(n=considered)}.",
        )
        for code, n in sorted(counts, key=lambda kv: (-kv[1], kv[0]))
    ]


def reason_text(reason: Reason, lang: Lang = "nl") -> str:
    d = reason.detail
    key = "beds_part_time" if reason.code is ReasonCode.BEDS and d.get("part_time") else None
    if reason.code is ReasonCode.CARE_KIND and d.get("lives_here"):
        key = "care_kind_lives_here"
    if reason.code is ReasonCode.SIBLINGS and d.get("living_here"):
        key = "siblings_living_here"
        d = {**d, "living_here_words": ", ".join(d["living_here"])}
    in_words = _REASON_VALUES.get(reason.code)
    values = {**d, **in_words(d, lang)} if in_words else d
    text = REASON_TEXTS[lang][key or reason.code.value].format_map(values)
    return f"{reason.child_id}: {text}" if reason.child_id else text


def reason_doc(
    reason: Reason,
    lang: Lang = "nl",
    audience: Audience = Audience.COORDINATOR,
    confidential: bool = False,
) -> ReasonDoc:
    """A reason as ``audience`` may read it (:func:`matching.privacy.reason_for`)."""
    reason = replace(reason, detail=told_detail(reason.detail, audience))
    doc: ReasonDoc = {
        "code": reason.code,
        "text": reason_text(reason, lang),
        "detail": dict(reason.detail),
    }
    if reason.child_id:
        doc["child_id"] = reason.child_id
    return reason_for(doc, audience, confidential, lang)


# ---------------------------------------------------------------------------------------
# Criteria


#: Each criterion's sentences and the words they are made of, per language; ``{points}``
#: is the points text (:func:`matching.privacy.points_text`).
CRITERION_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "type": "Soort plek: {name} (gezin eerst): {points}.",
        "distance": (
            "{km} km van de ouders (postcode {parents_postcode} naar {home_postcode}): "
            "{weight} × (1 − {km}/{max_km}) = {points}."
        ),
        # Beyond max_km the formula is below 0 and the points are 0 (at least 0).
        "distance_beyond": (
            "{km} km van de ouders (postcode {parents_postcode} naar {home_postcode}): "
            "verder dan {max_km} km, waar de punten op 0 staan: {points}."
        ),
        "distance_specialist": (
            "{text} Verder dan de gewone grens: intensieve zorg voor {domains} (niveau 3) is "
            "dichterbij niet te vinden; bovenregionale grens {limit} km."
        ),
        "school_not_applicable": "School: {why}, er gaat niets verloren: {points}.",
        "too_young": "nog niet naar school",
        "no_school": "geen school bekend",
        "school": "School op {km} km (grens {limit} km): {verdict}: {points}.",
        "keeps_school": "kan op de eigen school blijven",
        "changes_school": "moet van school wisselen",
        "siblings_together": "Samen geplaatst met broer(s)/zus(sen) {others}: {points}.",
        "siblings_apart": (
            "Mag apart van {others} geplaatst worden; vastgelegde reden: {reason}{here}: {points}."
        ),
        "siblings_apart_untold": "Mag apart van {others} geplaatst worden{here}: {points}.",
        "siblings_here": "; {who} woont hier al",
        "no_siblings": "Geen broers of zussen op de wachtlijst: 0 punten.",
        "stability_temporary": (
            "Stabiliteit: {kind} is tijdelijk, er gaat niets verloren: {points}."
        ),
        "stability": (
            "Stabiliteit: kan het kind ({age} jaar) houden tot en met {age_max} jaar, "
            "gewenst tot {adult_age}: {points}."
        ),
        "not_placed": "Huidige plek: nog nergens geplaatst: 0 punten.",
        "current_residential": (
            "Huidige plek {current_home} is een residentiële groep: blijven levert geen "
            "punten op, uitstroom naar een gezin gaat voor: {points}."
        ),
        "leaves_residential": (
            "Huidige plek {current_home} is een residentiële groep: blijven levert geen "
            "punten op, dus bij verhuizen gaat er niets verloren: {points}."
        ),
        "current_home": "Huidige plek {current_home}: {move}: {points}.",
        "stays": "blijft wonen waar het nu woont",
        "moves": "moet verhuizen (doorplaatsing)",
        "municipality": (
            "Woonplek in {home_municipality}, {where} de gemeente van de ouders "
            "({parents_municipality}): {points}."
        ),
        "inside": "in",
        "outside": "buiten",
        "religion_no_wish": "Geloof: geen wens vastgelegd: {points}.",
        "religion": "Geloof: kind {child}, gezin {home}: {points}.",
        "unknown": "onbekend",
        "language_no_wish": "Taal: geen wens vastgelegd: {points}.",
        "no_shared_language": "Taal: geen gedeelde thuistaal: {points}.",
        "language": "Taal: gedeelde thuistaal {shared}: {points}.",
        "no_care_needs": "Zorg: geen bijzondere zorgbehoeften (voorwaarde, geen punten).",
        "care_needs": "Zorg: alle behoeften gedekt (voorwaarde, geen punten): {needs}.",
        "care_need_covered": "{domain} nodig {need}, de verzorgers kunnen {capability}",
        "waiting_no_start": "Wachttijd: geen startdatum vastgelegd: {points}.",
        "waiting": (
            "Wacht sinds {waiting_since}: {weeks} × {per_week} (hoogstens {max_points}): {points}."
        ),
        "wish": " Het kind vindt dit het belangrijkst{heard}: telt {factor} keer: {points}.",
        "heard_on": "gehoord op {date}",
        "heard_on_unknown": "dag van horen niet vastgelegd",
    },
    "en": {
        "type": "Kind of home: {name} (family first): {points}.",
        "distance": (
            "{km} km from the parents (postcode {parents_postcode} to {home_postcode}): "
            "{weight} × (1 − {km}/{max_km}) = {points}."
        ),
        "distance_beyond": (
            "{km} km from the parents (postcode {parents_postcode} to {home_postcode}): "
            "beyond {max_km} km, where the points reach 0: {points}."
        ),
        "distance_specialist": (
            "{text} Beyond the usual limit: intensive care for {domains} (level 3) cannot be "
            "found nearer; supra-regional limit {limit} km."
        ),
        "school_not_applicable": "School: {why}, nothing is lost: {points}.",
        "too_young": "not yet at school",
        "no_school": "no school known",
        "school": "School at {km} km (limit {limit} km): {verdict}: {points}.",
        "keeps_school": "can stay at the same school",
        "changes_school": "must change school",
        "siblings_together": "Placed together with sibling(s) {others}: {points}.",
        "siblings_apart": (
            "May be placed apart from {others}; recorded reason: {reason}{here}: {points}."
        ),
        "siblings_apart_untold": "May be placed apart from {others}{here}: {points}.",
        "siblings_here": "; {who} already lives here",
        "no_siblings": "No siblings on the waiting list: 0 points.",
        "stability_temporary": "Stability: {kind} is temporary, nothing is lost: {points}.",
        "stability": (
            "Stability: can keep the child (age {age}) up to age {age_max}, wanted until "
            "{adult_age}: {points}."
        ),
        "not_placed": "Current home: not placed anywhere yet: 0 points.",
        "current_residential": (
            "Current home {current_home} is a residential group: staying earns no points, "
            "moving out to a family comes first: {points}."
        ),
        "leaves_residential": (
            "Current home {current_home} is a residential group: staying earns no points, so "
            "nothing is lost by moving: {points}."
        ),
        "current_home": "Current home {current_home}: {move}: {points}.",
        "stays": "stays where it lives now",
        "moves": "must move (a doorplaatsing)",
        "municipality": (
            "Home in {home_municipality}, {where} the parents' municipality "
            "({parents_municipality}): {points}."
        ),
        "inside": "inside",
        "outside": "outside",
        "religion_no_wish": "Religion: no wish recorded: {points}.",
        "religion": "Religion: child {child}, home {home}: {points}.",
        "unknown": "unknown",
        "language_no_wish": "Language: no wish recorded: {points}.",
        "no_shared_language": "Language: no shared home language: {points}.",
        "language": "Language: shared home language {shared}: {points}.",
        "no_care_needs": "Care: no particular care needs (a condition, no points).",
        "care_needs": "Care: every need covered (a condition, no points): {needs}.",
        "care_need_covered": "{domain} needs {need}, the carers can give {capability}",
        "waiting_no_start": "Waiting time: no start date recorded: {points}.",
        "waiting": (
            "Waiting since {waiting_since}: {weeks} × {per_week} (at most {max_points}): {points}."
        ),
        "wish": " The child finds this most important{heard}: counts {factor} times: {points}.",
        "heard_on": "heard on {date}",
        "heard_on_unknown": "day heard not recorded",
    },
}


def _say(key: str, lang: Lang, **values: Any) -> str:
    """The words ``key`` of :data:`CRITERION_TEXTS` in ``lang``, filled in with ``values``."""
    return CRITERION_TEXTS[lang][key].format_map(values)


def _c_type(c: Criterion, lang: Lang) -> str:
    name = HOME_TYPE_NAMES[lang][c.detail["home_type"]]
    return _say("type", lang, name=name, points=_pts(c, lang))


def _c_distance(c: Criterion, lang: Lang) -> str:
    d = c.detail
    text = _say(
        "distance_beyond" if d["distance_km"] > d["max_km"] else "distance",
        lang,
        km=_num(d["distance_km"], lang),
        max_km=_num(d["max_km"], lang),
        weight=c.max_points,
        parents_postcode=d["parents_postcode"],
        home_postcode=d["home_postcode"],
        points=_pts(c, lang),
    )
    spec = d.get("specialist")
    if spec is None:
        return text
    domains = ", ".join(_name(DOMAIN_NAMES, x, lang) for x in spec["domains"])
    limit = _num(float(spec["limit_km"]), lang)
    return _say("distance_specialist", lang, text=text, domains=domains, limit=limit)


def _c_school(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if not d.get("applicable"):
        why = _say("too_young" if d.get("why") == "too_young" else "no_school", lang)
        return _say("school_not_applicable", lang, why=why, points=_pts(c, lang))
    verdict = _say("keeps_school" if d["keeps_school"] else "changes_school", lang)
    km, limit = _num(d["distance_km"], lang), _num(d["commute_km"], lang)
    return _say("school", lang, km=km, limit=limit, verdict=verdict, points=_pts(c, lang))


def _c_siblings(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if d.get("together_with"):
        others = ", ".join(d["together_with"])
        return _say("siblings_together", lang, others=others, points=_pts(c, lang))
    if d.get("siblings"):
        others = ", ".join(d["siblings"])
        living = d.get("living_here") or []
        here = _say("siblings_here", lang, who=", ".join(living)) if living else ""
        if "split_reason" not in d:  # not told (a provider's view)
            return _say(
                "siblings_apart_untold", lang, others=others, here=here, points=_pts(c, lang)
            )
        reason = SPLIT_REASON_NAMES[lang].get(d["split_reason"] or "other", "")
        return _say(
            "siblings_apart", lang, others=others, reason=reason, here=here, points=_pts(c, lang)
        )
    return _say("no_siblings", lang)


def _c_stability(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if d.get("applicable") is False:
        kind = _name(CARE_KIND_NAMES, d["care_kind"], lang)
        return _say("stability_temporary", lang, kind=kind, points=_pts(c, lang))
    return _say(
        "stability",
        lang,
        age=d["age"],
        age_max=d["age_max"],
        adult_age=d["adult_age"],
        points=_pts(c, lang),
    )


def _c_current(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if not d.get("applicable"):
        return _say("not_placed", lang)
    home, points = d["current_home"], _pts(c, lang)
    if d.get("residential"):
        key = "current_residential" if d["stays"] else "leaves_residential"
        return _say(key, lang, current_home=home, points=points)
    move = _say("stays" if d["stays"] else "moves", lang)
    return _say("current_home", lang, current_home=home, move=move, points=points)


def _c_municipality(c: Criterion, lang: Lang) -> str:
    d = c.detail
    return _say(
        "municipality",
        lang,
        home_municipality=d["home_municipality"],
        where=_say("inside" if d["same"] else "outside", lang),
        parents_municipality=d["parents_municipality"],
        points=_pts(c, lang),
    )


def _c_religion(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if not d.get("applicable"):
        return _say("religion_no_wish", lang, points=_pts(c, lang))
    home = (_name(RELIGION_NAMES, d["home"], lang) if d["home"] else None) or _say("unknown", lang)
    child = _name(RELIGION_NAMES, d["child"], lang)
    return _say("religion", lang, child=child, home=home, points=_pts(c, lang))


def _c_language(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if not d.get("applicable"):
        return _say("language_no_wish", lang, points=_pts(c, lang))
    shared = ", ".join(language_name(x, lang) for x in d["shared"])
    if not shared:
        return _say("no_shared_language", lang, points=_pts(c, lang))
    return _say("language", lang, shared=shared, points=_pts(c, lang))


def _c_care(c: Criterion, lang: Lang) -> str:
    needs: Mapping[str, int] = c.detail["needs"]
    caps: Mapping[str, int] = c.detail["capabilities"]
    if not needs:
        return _say("no_care_needs", lang)
    # In words with the numbers kept ('gedrag nodig licht (1), de verzorgers kunnen matig
    # (2)'), never the bare 'gedrag 1 ≤ 2' a coordinator has to decode.
    covered = "; ".join(
        _say(
            "care_need_covered",
            lang,
            domain=_name(DOMAIN_NAMES, d, lang),
            need=level_text(n, lang),
            capability=level_text(caps[d], lang),
        )
        for d, n in needs.items()
    )
    return _say("care_needs", lang, needs=covered)


def _c_waiting(c: Criterion, lang: Lang) -> str:
    d = c.detail
    if d["waiting_since"] is None:
        return _say("waiting_no_start", lang, points=_pts(c, lang))
    return _say(
        "waiting",
        lang,
        waiting_since=_day(d["waiting_since"], lang),
        weeks=_weeks(d["weeks"], lang),
        per_week=d["per_week"],
        max_points=c.max_points,
        points=_pts(c, lang),
    )


def _wish_text(c: Criterion, lang: Lang) -> str:
    """The child's voice behind a criterion it named, with the day it was heard."""
    w = c.detail["wish"]
    note = f"“{w['note']}”" if w.get("note") else ""
    heard_on = (
        _say("heard_on", lang, date=_day(w["heard_on"], lang))
        if w["heard_on"]
        else _say("heard_on_unknown", lang)  # the spec: the explanation gives the day
    )
    said = ", ".join(x for x in (note, heard_on) if x)
    heard = f" ({said})" if said else ""
    factor = _num(float(w["factor"]), lang)
    return _say("wish", lang, heard=heard, factor=factor, points=_pts(c, lang))


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
_UNITS: dict[CriterionCode, Literal["km"]] = {
    CriterionCode.DISTANCE_PARENTS: "km",
    CriterionCode.SCHOOL: "km",
}


def criterion_text(criterion: Criterion, lang: Lang = "nl") -> str:
    wish = criterion.detail.get("wish")
    if wish is None:
        return _CRITERIA[criterion.code](criterion, lang)
    # The criterion's own sentence with its own arithmetic, then what the wish makes of it.
    base = replace(criterion, points=wish["base_points"], max_points=wish["base_max_points"])
    return _CRITERIA[criterion.code](base, lang) + _wish_text(criterion, lang)


def told(criterion: Criterion, audience: Audience) -> Criterion:
    """``criterion`` with only the facts ``audience`` may be told, to be put into words
    (:func:`matching.privacy.told_detail`): a provider's sentence then never quotes them."""
    if audience is Audience.COORDINATOR:
        return criterion
    return replace(criterion, detail=told_detail(criterion.detail, audience))


def criterion_doc(
    criterion: Criterion,
    lang: Lang = "nl",
    audience: Audience = Audience.COORDINATOR,
    confidential: bool = False,
) -> CriterionDoc:
    """One criterion: points, the measured value, the facts and a sentence, as ``audience``
    may read it (:func:`matching.privacy.criterion_for`)."""
    criterion = told(criterion, audience)
    code = criterion.code
    fields = {"criterion", "points", "max_points", "value", "text", "detail"}
    doc = CriterionDoc.model_construct(
        fields | ({"unit"} if code in _UNITS else set()),
        criterion=code,
        points=criterion.points,
        max_points=criterion.max_points,
        value=criterion.detail.get(_VALUE_KEYS[code]),
        text=criterion_text(criterion, lang),
        detail=dict(criterion.detail),
        unit=_UNITS.get(code),
    )
    return criterion_for(doc, audience, confidential, lang)


def member_doc(
    member: MemberScore,
    child: Child,
    lang: Lang = "nl",
    audience: Audience = Audience.COORDINATOR,
    confidential: bool | None = None,
    criteria: list[CriterionDoc] | None = None,
) -> MemberDoc:
    """A member's score and criteria in full, as ``audience`` may read them.

    ``confidential``: whether the member's group is placed confidentially (default: the
    child itself is). Siblings share their parents, so for a provider a brother's distance
    to them locates them as well as the child's own would. ``criteria``: its criteria
    explained already (:func:`criterion_doc` for a coordinator of what ``audience`` may be
    :func:`told`, in order).
    """
    if criteria is None:
        criteria = [criterion_doc(told(c, audience), lang) for c in member.criteria]
    doc = MemberDoc.model_construct(child_id=member.child_id, score=member.score, criteria=criteria)
    secret = child.confidential if confidential is None else confidential
    return member_for(doc, audience, secret, lang)


def member_points_doc(
    member: MemberScore,
    child: Child,
    lang: Lang = "nl",
    audience: Audience = Audience.COORDINATOR,
    confidential: bool | None = None,
) -> MemberDoc:
    """A member's score and its points per criterion, as ``audience`` may read them: the
    short form of :func:`member_doc`, without the sentences (the option's criteria carry
    them) and the facts behind them."""
    if audience is Audience.COORDINATOR:
        # A coordinator reads every point as the engine gave it: no sentences to render.
        return MemberDoc.model_construct(
            child_id=member.child_id,
            score=member.score,
            points={c.code.value: c.points for c in member.criteria},
        )
    full = member_doc(member, child, lang, audience, confidential)
    return MemberDoc.model_construct(
        child_id=full.child_id,
        score=full.score,
        points={c.criterion: c.points for c in full.criteria or []},
    )
