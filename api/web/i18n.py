"""Texts and number formats of the web screens: Dutch by default, English available.

Numbers, dates and percentages go through Babel (``nl_NL`` or ``en_GB``); plural forms
follow the locale's CLDR rules, so a screen says '1 kind' and '2 kinderen'.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from matching.explain import DOMAIN_NAMES, HOME_TYPE_NAMES, LEVEL_NAMES

__all__ = ["LANGS", "Lang", "Texts"]

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = ("nl", "en")
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}

#: (Dutch, English) per text key.
_TEXTS: dict[str, tuple[str, str]] = {
    "app": ("Dichtbij", "Dichtbij"),
    "tagline": (
        "Plaatsingen zo dicht mogelijk bij huis",
        "Placements as close to home as possible",
    ),
    "skip": ("Naar de inhoud", "Skip to content"),
    "signin": ("Aanmelden", "Sign in"),
    "signout": ("Afmelden", "Sign out"),
    "signin_intro": (
        "Meld u aan met de sleutel die u van uw beheerder hebt gekregen.",
        "Sign in with the key your administrator gave you.",
    ),
    "key": ("Sleutel", "Key"),
    "key_hint": (
        "De sleutel begint met 'dbk_'. Hij wordt niet in uw browser bewaard.",
        "The key starts with 'dbk_'. It is not stored in your browser.",
    ),
    "signin_failed": (
        "Aanmelden is niet gelukt: deze sleutel is onbekend, ingetrokken of verlopen.",
        "Signing in failed: this key is unknown, revoked or expired.",
    ),
    "admin_no_screens": (
        "Voor beheerders zijn er geen schermen; gebruik de API of de opdrachtregel.",
        "There are no screens for administrators; use the API or the command line.",
    ),
    "csrf_failed": (
        "Dit formulier is verlopen of niet vanaf deze site verstuurd. Probeer het opnieuw.",
        "This form has expired or was not sent from this site. Please try again.",
    ),
    "signed_in_as": ("Aangemeld als", "Signed in as"),
    "language": ("Taal", "Language"),
    "other_lang": ("English", "Nederlands"),
    "nav": ("Hoofdmenu", "Main menu"),
    "role_coordinator": ("plaatsingscoördinator", "placement coordinator"),
    "role_provider": ("zorgaanbieder", "care provider"),
    "role_municipality": ("gemeente", "municipality"),
    "role_admin": ("beheerder", "administrator"),
    "waiting_list": ("Wachtlijst", "Waiting list"),
    "proposals": ("Voorstellen", "Proposals"),
    "match_run": ("Matchronde", "Match run"),
    "homes": ("Woonplekken", "Homes"),
    "import": ("Importeren", "Import"),
    "offers": ("Voorstellen aan uw woonplekken", "Proposals to your homes"),
    "figures": ("Nabijheidscijfers", "Proximity figures"),
    "planning": ("Planning", "Planning"),
    "child": ("Kind", "Child"),
    "children_col": ("Kinderen", "Children"),
    "age": ("Leeftijd", "Age"),
    "urgency": ("Urgentie", "Urgency"),
    "crisis": ("Crisis", "Crisis"),
    "planned": ("Gepland", "Planned"),
    "waiting_since": ("Wacht sinds", "Waiting since"),
    "waiting_days": ("Wachttijd", "Waiting time"),
    "needs": ("Zorgbehoefte", "Care needs"),
    "no_needs": ("geen bijzondere zorg", "no special care"),
    "status": ("Status", "Status"),
    "status_waiting": ("wacht", "waiting"),
    "status_proposed": ("voorgesteld", "proposed"),
    "status_placed": ("geplaatst", "placed"),
    "status_left": ("uit zorg", "left care"),
    "filter": ("Filteren", "Filter"),
    "filters": ("Filters", "Filters"),
    "all": ("Alle", "All"),
    "only_crisis": ("Alleen crisis", "Crisis only"),
    "show": ("Tonen", "Show"),
    "open": ("Openen", "Open"),
    "options": ("Mogelijke woonplekken", "Possible homes"),
    "rank": ("Plek", "Rank"),
    "home": ("Woonplek", "Home"),
    "home_type": ("Soort", "Type"),
    "score": ("Score", "Score"),
    "distance_parents": ("Afstand tot ouders", "Distance to parents"),
    "explanation": ("Uitleg per criterium", "Explanation by criterion"),
    "waiting_effect": ("Gevolg voor de wachtlijst", "Effect on the waiting list"),
    "no_effect": (
        "Geen ander wachtend kind verliest hierdoor een plek.",
        "No other waiting child loses a place because of this.",
    ),
    "excluded": ("Dichtstbijzijnde uitgesloten woonplekken", "Nearest excluded homes"),
    "reasons": ("Redenen", "Reasons"),
    "propose": ("Voorstellen", "Propose"),
    "confirm": ("Bevestigen", "Confirm"),
    "withdraw": ("Intrekken", "Withdraw"),
    "accept": ("Accepteren", "Accept"),
    "decline": ("Afwijzen", "Decline"),
    "decline_reason": ("Reden van afwijzen", "Reason for declining"),
    "decline_hint": (
        "Verplicht. De reden wordt bij het voorstel bewaard.",
        "Required. The reason is kept with the proposal.",
    ),
    "no_options": ("Er is nu geen passende woonplek.", "There is no suitable home now."),
    "open_proposals": ("Lopende voorstellen", "Open proposals"),
    "proposal_status_proposed": ("wacht op antwoord aanbieder", "awaiting the provider"),
    "proposal_status_accepted": ("geaccepteerd, te bevestigen", "accepted, to be confirmed"),
    "proposal_status_confirmed": ("bevestigd: geplaatst", "confirmed: placed"),
    "proposal_status_declined": ("afgewezen", "declined"),
    "proposal_status_withdrawn": ("ingetrokken", "withdrawn"),
    "proposal_status_expired": ("verlopen", "expired"),
    "expires": ("Vervalt", "Expires"),
    "beds": ("Bedden", "Beds"),
    "beds_free": ("Vrije bedden", "Free beds"),
    "beds_held": ("Vastgehouden", "Held"),
    "save": ("Opslaan", "Save"),
    "ages": ("Leeftijden", "Ages"),
    "postcode": ("Postcode", "Postcode"),
    "none_yet": ("Nog niets.", "Nothing yet."),
    "sibling_group": ("Broers en zussen", "Siblings"),
    "school_area": ("School", "School"),
    "confidential": (
        "Geheime plaatsing: herkomst niet gedeeld",
        "Secret placement: origin not shared",
    ),
    "coordinator_org": ("Plaatsende organisatie", "Placing organisation"),
    "not_shared": ("niet gedeeld", "not shared"),
    "period": ("Periode", "Period"),
    "from": ("Van", "From"),
    "to": ("Tot en met", "To"),
    "region": ("Regio", "Region"),
    "municipality": ("Gemeente", "Municipality"),
    "downloads": ("Downloads", "Downloads"),
    "download_csv": ("Cijfers als CSV", "Figures as CSV"),
    "download_excel": (
        "Cijfers voor Excel (puntkomma, decimale komma)",
        "Figures for Dutch Excel (semicolon, decimal comma)",
    ),
    "practice": ("Praktijk", "Practice"),
    "engine": ("Voorstel Dichtbij", "Dichtbij's proposal"),
    "measure": ("Maat", "Measure"),
    "suppressed": ("minder dan 5: niet getoond", "fewer than 5: not shown"),
    "charts": ("Grafieken", "Charts"),
    "chart_distances": ("Afstand tot de ouders", "Distance to the parents"),
    "chart_trend": ("Aandeel binnen 10 km per maand", "Share within 10 km per month"),
    "chart_types": ("Soort woonplek", "Type of home"),
    "csv_intro": (
        "Registreer of vervang veel woonplekken tegelijk met een CSV-bestand. Alle regels "
        "worden verwerkt, of geen enkele.",
        "Register or replace many homes at once with a CSV file. All rows are processed, or none.",
    ),
    "template": ("Sjabloon downloaden (CSV)", "Download the template (CSV)"),
    "csv_excel": (
        "Uit Excel: sla op als CSV (puntkomma of komma) of als Unicode-tekst. Nederlandse "
        "kolomnamen en datums als 1-12-2026 worden herkend; lege regels worden overgeslagen.",
        "From Excel: save as CSV (semicolon or comma) or as Unicode text. Dutch column names "
        "and dates such as 1-12-2026 are understood; empty rows are skipped.",
    ),
    "columns": ("Kolommen", "Columns"),
    "column": ("Kolom", "Column"),
    "dutch_name": ("Nederlandse naam", "Dutch name"),
    "example": ("Voorbeeld", "Example"),
    "file": ("Bestand", "File"),
    "upload": ("Importeren", "Import"),
    "imported": ("Geïmporteerd", "Imported"),
    "errors_title": ("Er ging iets mis", "Something went wrong"),
    "field": ("Veld", "Field"),
    "row": ("Regel", "Row"),
    "reason": ("Reden", "Reason"),
    "run_match": ("Matchronde starten", "Start a match run"),
    "match_intro": (
        "Zoekt voor alle wachtende kinderen tegelijk de beste verdeling, en vergelijkt die "
        "met wie-het-eerst-komt.",
        "Finds the best assignment for all waiting children at once, and compares it with "
        "first come, first served.",
    ),
    "unplaced": ("Niet geplaatst", "Not placed"),
    "why": ("Waarom", "Why"),
    "would_open": ("Wat een plek zou openen", "What would open a place"),
    "not_found": ("Niet gevonden", "Not found"),
    "forbidden": ("Geen toegang", "No access"),
    "conflict": ("Dat kan nu niet", "That is not possible now"),
    "too_many": ("Even wachten", "Please wait a moment"),
    "unavailable": ("Nu niet gelukt", "Could not be done now"),
    "new_home": ("Woonplek registreren", "Register a home"),
    "home_id": ("Kenmerk van de woonplek", "Home reference"),
    "home_id_hint": (
        "Uw eigen kenmerk, bijvoorbeeld H-2027-01. Letters, cijfers en streepjes.",
        "Your own reference, for example H-2027-01. Letters, digits and hyphens.",
    ),
    "postcode_hint": ("Bijvoorbeeld 6711 of 6711 AB.", "For example 6711 or 6711 AB."),
    "age_min": ("Leeftijd vanaf", "Ages from"),
    "age_max": ("Leeftijd tot en met", "Ages up to"),
    "max_siblings": ("Hoeveel broers en zussen samen", "How many siblings together"),
    "optional": ("niet verplicht", "optional"),
    "capabilities": ("Welke zorg kunnen de verzorgers bieden?", "What care can the carers give?"),
    "languages": ("Talen in huis", "Languages at home"),
    "languages_hint": ("Taalcodes, bijvoorbeeld nl, en, ar.", "Language codes, e.g. nl, en, ar."),
    "register": ("Registreren", "Register"),
    "errors_summary": ("Controleer de volgende velden", "Please check these fields"),
    "form": ("Formulier", "Form"),
    "invalid": ("Controleer de invoer", "Check what you entered"),
    "home_page": ("Startpagina", "Home page"),
    "placements": ("Plaatsingen", "Placements"),
    "actions": ("Acties", "Actions"),
    "m_placed": ("Geplaatste kinderen", "Children placed"),
    "m_crisis": ("Crisiskinderen geplaatst", "Crisis children placed"),
    "m_together": ("Broers-zussengroepen samen geplaatst", "Sibling groups placed together"),
    "m_split": (
        "Groepen zonder vastgelegde reden gesplitst",
        "Groups split without a recorded reason",
    ),
    "m_median": ("Afstand tot de ouders, mediaan", "Distance to the parents, median"),
    "m_family": ("In een gezinssituatie", "In a family-like home"),
    "of": ("van", "of"),
    "assignments": ("Voorgestelde verdeling", "Proposed assignment"),
    "run_status": ("Uitkomst", "Outcome"),
    "run_optimal": ("bewezen de beste verdeling", "proven the best assignment"),
    "run_feasible": (
        "een goede verdeling (niet bewezen de beste)",
        "a good assignment (not proven the best)",
    ),
    "none_open": ("Er zijn geen lopende voorstellen.", "There are no open proposals."),
    "closed_proposals": ("Onlangs afgehandeld", "Recently closed"),
    "closed_on": ("Afgehandeld op", "Closed on"),
}


#: What a refused step means, per :class:`~api.services.errors.ConflictError` code; the
#: service's own sentence (English, with the ids) is shown beneath it.
CONFLICTS: dict[str, tuple[str, str]] = {
    "beds": (
        "Deze woonplek heeft niet genoeg vrije bedden meer.",
        "This home no longer has enough free beds.",
    ),
    "beds_held": (
        "Er worden bedden vastgehouden voor een lopend voorstel.",
        "Beds are held for an open proposal.",
    ),
    "child_left": ("Dit kind is uit zorg.", "This child has left care."),
    "child_not_waiting": ("Dit kind wacht niet meer.", "This child is no longer waiting."),
    "child_placed": ("Dit kind is al geplaatst.", "This child is already placed."),
    "child_proposed": (
        "Voor dit kind loopt al een voorstel.",
        "There is already an open proposal for this child.",
    ),
    "expired": ("Dit voorstel is verlopen.", "This proposal has expired."),
    "invalid_state": (
        "Dit voorstel is al afgehandeld of wacht nog op een antwoord.",
        "This proposal is already closed or still awaits an answer.",
    ),
    "not_one_group": (
        "Deze kinderen horen niet bij één broers-zussengroep.",
        "These children are not one sibling group.",
    ),
    "rule_broken": (
        "Deze woonplek past niet (meer) bij de plaatsingsregels.",
        "This home does not (or no longer) fit the placement rules.",
    ),
    "siblings_together": (
        "Broers en zussen worden samen voorgesteld, tenzij een reden is vastgelegd.",
        "Siblings are proposed together unless a reason is recorded.",
    ),
    "open_proposals": (
        "Er lopen nog voorstellen.",
        "There are open proposals.",
    ),
}


#: Dutch for the validation reasons a person meets most on a form; others stay English.
_REASONS_NL: tuple[tuple[str, str], ...] = (
    ("is not a Dutch postcode", "is geen Nederlandse postcode (verwacht 1234 of 1234 AB)"),
    ("is not a known Dutch PC4 area", "is geen bekend Nederlands postcodegebied"),
    ("Field required", "is verplicht"),
    ("Input should be a valid integer", "moet een heel getal zijn"),
    ("Input should be greater than or equal to", "is te klein"),
    ("Input should be less than or equal to", "is te groot"),
    ("Input should be greater than", "is te klein"),
    ("String should match pattern", "bevat tekens die niet zijn toegestaan"),
    ("String should have at most", "is te lang"),
    ("age_min", "de leeftijd vanaf is hoger dan de leeftijd tot en met"),
    ("Input should be a valid date", "moet een datum zijn (1-12-2026 of 2026-12-01)"),
    ("unknown column", "onbekende kolom"),
    ("required column is missing", "verplichte kolom ontbreekt"),
    ("column appears twice", "kolom staat er twee keer in"),
    ("the file is not text", "het bestand is geen tekst in UTF-8, UTF-16 of Windows-1252"),
    ("the file has NUL characters", "sla het bestand op als CSV (UTF-8) of Unicode-tekst"),
)


class Texts:
    """The texts and formats of one language, as the templates use them."""

    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang
        self.locale = Locale.parse(_LOCALES[lang])

    def __call__(self, key: str) -> str:
        nl, en = _TEXTS[key]
        return nl if self.lang == "nl" else en

    def reason(self, text: str) -> str:
        """A validation reason in the page's language, where a Dutch one is known."""
        if self.lang == "nl":
            for start, dutch in _REASONS_NL:
                if text.startswith(start):
                    return dutch
        return text

    def conflict(self, code: str) -> str | None:
        pair = CONFLICTS.get(code)
        return None if pair is None else pair[0 if self.lang == "nl" else 1]

    def number(self, value: float, digits: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def km(self, value: float | None) -> str:
        return "–" if value is None else f"{self.number(value, 1)} km"

    def percent(self, share: float | None, digits: int = 0) -> str:
        if share is None:
            return "–"
        pattern = "#,##0" + ("." + "0" * digits if digits else "") + " %"
        return format_percent(share, format=pattern, locale=self.locale)

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return "–"
        if isinstance(value, datetime):
            value = value.date()
        return format_date(value, format="long", locale=self.locale)

    def month(self, text: str) -> str:
        """'2026-04' -> 'april 2026'."""
        year, month = (int(x) for x in text.split("-")[:2])
        return format_date(date(year, month, 1), format="LLLL y", locale=self.locale)

    def points(self, value: float | None) -> str:
        if value is None:
            return "–"
        return self.number(value, 0 if float(value).is_integer() else 1)

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return "–"
        return format_datetime(value, format="d MMMM y HH:mm", locale=self.locale)

    def plural(self, n: int, one: str, other: str) -> str:
        """``plural(2, 'kind', 'kinderen')`` -> '2 kinderen', by the locale's plural rule."""
        word = one if self.locale.plural_form(n) == "one" else other
        return f"{self.number(n)} {word}"

    def count(self, n: int, what: str) -> str:
        """A count of a known noun: 'children', 'homes', 'days', 'years', 'beds'."""
        words = _NOUNS[what][0 if self.lang == "nl" else 1]
        return self.plural(n, *words)

    def home_type(self, code: str) -> str:
        return HOME_TYPE_NAMES[self.lang].get(code, code.replace("_", " "))

    def need(self, domain: str, level: int) -> str:
        name = DOMAIN_NAMES[self.lang].get(domain, domain.replace("_", " "))
        return f"{name} ({LEVEL_NAMES[self.lang][level]})"

    def domain(self, code: str) -> str:
        return DOMAIN_NAMES[self.lang].get(code, code.replace("_", " "))

    def level(self, n: int) -> str:
        return LEVEL_NAMES[self.lang][n]

    def needs(self, needs: dict[str, int]) -> str:
        shown = [self.need(d, lvl) for d, lvl in sorted(needs.items()) if lvl > 0]
        return ", ".join(shown) if shown else self("no_needs")


_NOUNS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "children": (("kind", "kinderen"), ("child", "children")),
    "homes": (("woonplek", "woonplekken"), ("home", "homes")),
    "days": (("dag", "dagen"), ("day", "days")),
    "years": (("jaar", "jaar"), ("year", "years")),
    "beds": (("bed", "bedden"), ("bed", "beds")),
    "placements": (("plaatsing", "plaatsingen"), ("placement", "placements")),
}
