"""Texts and number formats of the web screens: Dutch by default, English available.

Numbers, dates and percentages go through Babel (``nl_NL`` or ``en_GB``); plural forms
follow the locale's CLDR rules, so a screen says '1 kind' and '2 kinderen'.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from matching.explain import CARE_KIND_NAMES, DOMAIN_NAMES, HOME_TYPE_NAMES, LEVEL_NAMES

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
    "excluded_summary": ("Uitgesloten woonplekken per reden", "Excluded homes by reason"),
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
    "part_time_places_free": ("Vrije deeltijdplaatsen", "Free part-time places"),
    "part_time_not_offered": ("geen deeltijdpleegzorg", "no part-time care"),
    "part_time_hint": (
        "Weekend- en vakantieplaatsen, apart van de bedden geteld. Leeg: deeltijdkinderen "
        "gebruiken de vrije bedden.",
        "Weekend and holiday places, counted apart from the beds. Empty: part-time children "
        "use the free beds.",
    ),
    "care_kinds": ("Zorgvormen", "Kinds of care"),
    "date_hint": (
        "Datums als dag-maand-jaar, bijvoorbeeld 1-12-2026.",
        "Dates as year-month-day, for example 2026-12-01.",
    ),
    "care_kinds_hint": (
        "Niets aangevinkt: crisisopvang, perspectiefzoekend en perspectiefbiedend.",
        "Nothing ticked: crisis, short-term and long-term care.",
    ),
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
    "uitstroom": (
        "Uitstroom uit residentiële groepen",
        "Moving out of residential groups (uitstroom)",
    ),
    "uitstroom_intro": (
        "Kinderen in een residentiële groep voor wie nu een gezinsgerichte woonplek geschikt "
        "is, en wat deze matchronde voor hen doet.",
        "Children in a residential group for whom a family-like home is eligible now, and "
        "what this match run does for them.",
    ),
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
    "already_ended": ("Deze plaatsing is al beëindigd.", "This placement has already ended."),
    "home_withdrawn": ("Deze woonplek is teruggetrokken.", "This home has been withdrawn."),
    "id_taken": ("Deze code is al in gebruik.", "This id is already in use."),
    "not_network_home": (
        "Deze woonplek is geen netwerkpleeggezin.",
        "This home is not a network foster home.",
    ),
    "declined": (
        "De verzorgers van deze woonplek hebben dit kind kort geleden afgewezen.",
        "The carers of this home declined this child recently.",
    ),
    "home_occupied": (
        "Er wonen nog kinderen in deze woonplek; hun plaatsingen moeten eerst eindigen.",
        "Children still live in this home; their placements must end first.",
    ),
    "already_there": (
        "Dit kind woont al in deze woonplek.",
        "This child already lives in this home.",
    ),
    "move_open": (
        "Voor dit kind loopt een voorstel om te verhuizen; trek het eerst in.",
        "This child has an open proposal to move; withdraw it first.",
    ),
    "known_to_full": (
        "Deze woonplek noemt al het grootste aantal kinderen dat het mag kennen.",
        "This home already names as many children as it may know.",
    ),
}
#: A refused step whose code is not listed above, in words (never the bare code).
UNKNOWN_CONFLICT = ("Deze stap kan nu niet worden gezet.", "This step cannot be taken now.")
#: What each kind of refusal means, where the service's sentence is English: a Dutch page
#: shows this instead of it.
PROBLEM_DETAILS: dict[str, tuple[str, str]] = {
    "invalid": (
        "Niet alles klopt in wat is ingevuld of meegestuurd; er is niets opgeslagen.",
        "Not everything that was filled in or sent is right; nothing was saved.",
    ),
    "not_found": (
        "Dit bestaat niet (meer), of het hoort niet bij uw organisatie.",
        "This does not exist (any more), or it does not belong to your organisation.",
    ),
    "forbidden": (
        "Uw rol mag dit niet doen of zien.",
        "Your role may not do or see this.",
    ),
    "conflict": ("Deze stap kan nu niet worden gezet.", "This step cannot be taken now."),
    "too_many": (
        "Er kwamen te veel verzoeken kort na elkaar; probeer het zo opnieuw.",
        "Too many requests in a short time; please try again shortly.",
    ),
    "unavailable": (
        "Dit lukte nu niet (bijvoorbeeld een simulatie die niet binnen de tijdslimiet klaar "
        "was); probeer minder dagen of herhalingen, of later opnieuw.",
        "This could not be done now (a simulation that did not finish in its time limit, for "
        "example); try fewer days or runs, or again later.",
    ),
    "errors_title": (
        "Er ging iets mis; er is niets opgeslagen.",
        "Something went wrong; nothing was saved.",
    ),
}


#: Dutch for every validation reason the services, the scenario's validators and pydantic
#: can answer: a pattern on the (English) reason and its Dutch wording, ``{1}`` for a group
#: the pattern captured. The first match wins; tests/web/test_i18n.py checks that every
#: reason written in the code has one, so a Dutch page never shows an English reason.
_REASONS_NL: tuple[tuple[str, str], ...] = (
    # The planning forms and bodies.
    (r"a whole number from (\d+) to (\d+)", "moet een heel getal van {1} tot en met {2} zijn"),
    (r"distinct policies among", "noem verschillende werkwijzen uit de lijst"),
    (r"among ", "is geen van de werkwijzen die er zijn"),
    (r"required for an admin key", "is verplicht met een beheerderssleutel"),
    # The engine's postcode reader and the field rules of a home or a child.
    (r"is not a Dutch postcode", "is geen Nederlandse postcode (verwacht 1234 of 1234 AB)"),
    (r"is not a known Dutch PC4 area", "is geen bekend Nederlands postcodegebied"),
    (r"postcode '(\w+)' is not a known Dutch PC4 area", "is geen bekend Nederlands postcodegebied"),
    (
        r"age_min (\d+) is above age_max (\d+)",
        "de leeftijd vanaf ({1}) is hoger dan de leeftijd tot en met ({2})",
    ),
    (r"age_min", "de leeftijd vanaf is hoger dan de leeftijd tot en met"),
    (r"available_from is after available_until", "beschikbaar vanaf ligt na beschikbaar tot"),
    (
        r"a network_foster home needs known_to",
        "een netwerkpleeggezin noemt de kinderen die het kent (bekend bij)",
    ),
    (
        r"known_to is only for network_foster homes",
        "bekend bij is alleen voor een netwerkpleeggezin",
    ),
    (r"care_kinds names a kind more than once", "een zorgvorm staat er meer dan eens in"),
    (
        r"part_time_places_free is only for a home whose care_kinds include part_time",
        "vrije deeltijdplaatsen alleen bij een woonplek die deeltijdpleegzorg biedt",
    ),
    (r"unknown care domain", "onbekend zorggebied"),
    (r"unknown wish criterion", "onbekend punt voor de wens van het kind"),
    (r"a criterion is named more than once", "een punt staat er meer dan eens in"),
    (r"one of birth_date or age is required", "geef een geboortedatum of een leeftijd"),
    (r"split_reason 'other' requires a split_note", "bij reden 'anders' hoort een toelichting"),
    (
        r"residential_reason 'other' requires a residential_note",
        "bij reden 'anders' hoort een toelichting",
    ),
    (r"a child cannot be its own sibling", "een kind kan niet zijn eigen broer of zus zijn"),
    (
        r"a child cannot be kept apart from itself",
        "een kind kan niet van zichzelf gescheiden blijven",
    ),
    (r"a child is listed twice", "een kind staat er twee keer in"),
    (r"must be a date", "moet een datum zijn (1-12-2026 of 2026-12-01)"),
    (r"a date \(", "moet een datum zijn (1-12-2026 of 2026-12-01)"),
    (r"is in the future", "ligt in de toekomst"),
    (r"is after 'to'", "ligt na de einddatum"),
    (r"is before the placement's start_date", "ligt voor de begindatum van de plaatsing"),
    (r"must be within a year of today", "moet binnen een jaar van vandaag liggen"),
    (r"period longer than 5 years", "de periode is langer dan 5 jaar"),
    (r"a whole number from 0 to 200", "moet een heel getal van 0 tot en met 200 zijn"),
    (r"may not be null", "mag niet leeg zijn"),
    (r"given more than once", "staat er meer dan eens in"),
    (r"not a parameter of this endpoint", "is hier geen geldige keuze"),
    # Choices on the screens and the services behind them.
    (r"choose a home", "kies een woonplek"),
    (r"choose at least one child", "kies ten minste één kind"),
    (r"choose a CSV file", "kies een CSV-bestand"),
    (r"give a reason of 1 to 500 characters", "geef een reden van 1 tot 500 tekens"),
    (
        r"reason \(the carers' note\) is required",
        "geef een toelichting van de verzorgers bij reden 'anders' of zonder reden",
    ),
    (r"give a municipality or a region", "kies een gemeente of een regio"),
    (
        r"not a known 4-digit CBS municipality code",
        "is geen bekende gemeente (CBS-code van 4 cijfers)",
    ),
    (r"unknown region", "onbekende regio"),
    (r"unknown child id", "onbekend kind"),
    (r"unknown home id", "onbekende woonplek"),
    (r"in the sibling group, ", "in de broers-zussengroep: "),
    (r"an admin names the organisation", "een beheerder noemt de organisatie van het kind"),
    (
        r"a provider imports homes of its own organisation only",
        "een aanbieder importeert alleen woonplekken van de eigen organisatie",
    ),
    (r"afstand, trend or soort", "kies afstand, trend of soort"),
    (r"csv or excel-nl", "kies csv of excel-nl"),
    # The CSV import.
    (r"unknown column", "onbekende kolom"),
    (r"required column is missing", "verplichte kolom ontbreekt"),
    (r"column appears twice", "kolom staat er twee keer in"),
    (r"id also on row (\d+)", "deze code staat ook op regel {1}"),
    (r"(\d+) cells, the header has (\d+) columns", "{1} cellen, de kopregel heeft {2} kolommen"),
    (r"not a readable CSV file", "het bestand is geen leesbaar CSV-bestand"),
    (r"the file is empty", "het bestand is leeg"),
    (r"the file has no rows", "het bestand heeft geen regels"),
    (r"the file is not text", "het bestand is geen tekst in UTF-8, UTF-16 of Windows-1252"),
    (r"the file has NUL characters", "sla het bestand op als CSV (UTF-8) of Unicode-tekst"),
    (
        r"beds_free below the (\d+) bed",
        "minder vrije bedden dan de {1} die voor voorstellen worden vastgehouden",
    ),
    (
        r"beds_free cannot fall below the (\d+) bed",
        "minder vrije bedden dan de {1} die voor voorstellen worden vastgehouden",
    ),
    (
        r"a home changed during the import",
        "een woonplek veranderde tijdens het importeren; er is niets geïmporteerd",
    ),
    (
        r"send the CSV as multipart",
        "stuur het CSV-bestand als formulier (veld 'file') of als text/csv",
    ),
    (r"a multipart field 'file'", "het formulier mist het bestand (veld 'file')"),
    (r"not a readable multipart", "het formulier kon niet worden gelezen"),
    (r"must be 1 to 255 visible ASCII characters", "moet 1 tot 255 zichtbare tekens zijn"),
    # pydantic's own messages.
    (r"Field required", "is verplicht"),
    (r"Extra inputs are not permitted", "is hier geen geldig veld"),
    (r"Input should be a valid integer", "moet een heel getal zijn"),
    (r"Input should be a valid number", "moet een getal zijn"),
    (r"Input should be a valid date", "moet een datum zijn (1-12-2026 of 2026-12-01)"),
    (r"Input should be a valid (string|list|dictionary|boolean)", "heeft niet de juiste vorm"),
    (r"Input should be greater than or equal to (\S+)", "moet ten minste {1} zijn"),
    (r"Input should be less than or equal to (\S+)", "mag hoogstens {1} zijn"),
    (r"Input should be greater than (\S+)", "moet groter zijn dan {1}"),
    (r"Input should be less than (\S+)", "moet kleiner zijn dan {1}"),
    (r"Input should be ", "is geen van de toegestane waarden"),
    (r"String should match pattern", "bevat tekens die niet zijn toegestaan"),
    (r"String should have at most", "is te lang"),
    (r"String should have at least", "is te kort"),
    (r"List should have at most", "bevat te veel waarden"),
    (r"List should have at least", "bevat te weinig waarden"),
    (r"Dictionary should have at most", "bevat te veel waarden"),
)
_REASON_PATTERNS = tuple((re.compile(p), nl) for p, nl in _REASONS_NL)
#: What a Dutch page says of a reason no pattern knows (never the English beside it).
_UNKNOWN_REASON_NL = "deze waarde wordt niet geaccepteerd"

#: The fields a problem may name, as a person reads them on a screen.
_FIELD_LABELS: dict[str, tuple[str, str]] = {
    # The planning page's fields (its forms report them by the API's names).
    "beds": ("Aantal extra bedden", "Number of extra beds"),
    "points": ("Laatste kinderen bekijken (K)", "Look at the last children (K)"),
    "days": ("Dagen", "Days"),
    "runs": ("Herhalingen", "Runs"),
    "policies": ("Werkwijzen", "Ways of working"),
    "id": ("Code", "Id"),
    "organisation": ("Organisatie", "Organisation"),
    "type": ("Soort", "Type"),
    "postcode": ("Postcode", "Postcode"),
    "beds_free": ("Vrije bedden", "Free beds"),
    "part_time_places_free": ("Vrije deeltijdplaatsen", "Free part-time places"),
    "age_min": ("Leeftijd vanaf", "Minimum age"),
    "age_max": ("Leeftijd tot en met", "Maximum age"),
    "max_siblings": ("Broers en zussen samen", "Siblings together"),
    "capabilities": ("Zorg die de verzorgers aankunnen", "Care the carers can give"),
    "religion": ("Geloof", "Religion"),
    "languages": ("Talen", "Languages"),
    "available_from": ("Beschikbaar vanaf", "Available from"),
    "available_until": ("Beschikbaar tot", "Available until"),
    "known_to": ("Bekend bij", "Known to"),
    "care_kinds": ("Zorgvormen", "Kinds of care"),
    "reason": ("Reden", "Reason"),
    "home_id": ("Woonplek", "Home"),
    "child_ids": ("Kinderen", "Children"),
    "municipality": ("Gemeente", "Municipality"),
    "region": ("Regio", "Region"),
    "from": ("Vanaf", "From"),
    "to": ("Tot en met", "To"),
    "start_date": ("Begindatum", "Start date"),
    "end_date": ("Einddatum", "End date"),
    "chart": ("Grafiek", "Chart"),
    "formaat": ("Formaat", "Format"),
    "file": ("Bestand", "File"),
    "header": ("Kopregel", "Header"),
    "current_home": ("Huidige woonplek", "Current home"),
    "siblings": ("Broers en zussen", "Siblings"),
    "keep_apart": ("Gescheiden houden van", "Keep apart from"),
}


#: ``date`` under another name: inside :class:`Texts` the name is its method.
Day = date


class Texts:
    """The texts and formats of one language, as the templates use them."""

    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang
        self.locale = Locale.parse(_LOCALES[lang])

    def __call__(self, key: str) -> str:
        nl, en = _TEXTS[key]
        return nl if self.lang == "nl" else en

    def reason(self, text: str) -> str:
        """A validation reason in the page's language: English as the service wrote it, or
        its Dutch wording; a reason no pattern knows reads as a plain Dutch sentence, never
        as English on a Dutch page."""
        text = text.removeprefix("Value error, ")
        if self.lang != "nl":
            return text
        for pattern, dutch in _REASON_PATTERNS:
            found = pattern.match(text)
            if found:
                return dutch.format(None, *found.groups())
        return _UNKNOWN_REASON_NL

    def knows_reason(self, text: str) -> bool:
        """Whether a Dutch wording is known for ``text`` (the tests ask)."""
        return any(p.match(text.removeprefix("Value error, ")) for p, _ in _REASON_PATTERNS)

    def field(self, where: str | None) -> str:
        """A problem's field or column as a person reads it: ``$.beds_free`` -> 'Vrije
        bedden'; ``$.capabilities.trauma`` -> the domain's name; a CSV header as written."""
        if not where:
            return "–"
        if not where.startswith("$"):
            return where  # a column as the file wrote it
        parts = [p for p in re.split(r"[.\[\]]", where.removeprefix("$")) if p and not p.isdigit()]
        if not parts:
            return self("form")
        if parts[0] == "capabilities" and len(parts) > 1:
            return self.domain(parts[1]).capitalize()
        label = _FIELD_LABELS.get(parts[0])
        return label[0 if self.lang == "nl" else 1] if label else parts[0].replace("_", " ")

    def conflict(self, code: str) -> str:
        """What a refused step means; a code not listed reads as a plain sentence."""
        pair = CONFLICTS.get(code, UNKNOWN_CONFLICT)
        return pair[0 if self.lang == "nl" else 1]

    def problem_detail(self, kind: str, detail: str) -> str:
        """The sentence under a refusal's title: the service's own (English) one on an
        English page, its meaning in Dutch on a Dutch page (no English beside Dutch)."""
        if self.lang != "nl":
            return detail
        return PROBLEM_DETAILS.get(kind, PROBLEM_DETAILS["errors_title"])[0]

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

    def form_date(self, value: Day) -> str:
        """A date as a form field shows it and a person types it: '1-12-2026' in Dutch
        (day first, as Dutch Excel and forms write it), ISO '2026-12-01' in English."""
        if self.lang == "nl":
            return format_date(value, format="d-M-y", locale=self.locale)
        return value.isoformat()

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

    def care_kind(self, code: str) -> str:
        return CARE_KIND_NAMES[self.lang].get(code, code.replace("_", " "))

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
