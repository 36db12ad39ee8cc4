"""Danish words the generator composes names, titles and rationales from.

Realistic text matters for the measurements: row widths, JSON sizes and the
danish text-search configuration all see what a municipality's catalogue would
hold, including æ, ø and å.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Anne", "Mette", "Søren", "Lars", "Jens", "Hanne", "Pia", "Kirsten", "Rasmus", "Mads",
    "Louise", "Camilla", "Frederik", "Ida", "Sofie", "Jørgen", "Bjørn", "Åse", "Lærke", "Birgit",
    "Henrik", "Morten", "Nanna", "Anders", "Thomas", "Karen", "Signe", "Mikkel", "Kasper", "Line",
    "Gitte", "Torben", "Malene", "Niels", "Charlotte", "Jakob", "Helle",
)  # fmt: skip
LAST_NAMES = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Møller",
    "Kjærgaard", "Brøndum", "Østergaard", "Lykke", "Holm", "Friis", "Dahl", "Bæk", "Skovgård",
)  # fmt: skip
CENTRES = (
    "Social og Sundhed", "Børn og Unge", "By og Miljø", "Økonomi og Personale",
    "Kultur og Borgerservice", "Beskæftigelse", "Ældre og Omsorg", "Digitalisering",
)  # fmt: skip
AREAS = (
    "Plejecentre", "Hjemmepleje", "Skoler", "Dagtilbud", "Specialområdet", "Vej og Park",
    "Byggesag", "Jobcenter", "Bibliotekerne", "Sundhedsplejen", "Tandplejen", "Ungdomsskolen",
)  # fmt: skip
LEADER_TITLES = (
    "Afdelingsleder", "Institutionsleder", "Skoleleder", "Dagtilbudsleder", "Teamleder",
    "Viceskoleleder", "Souschef", "Forstander", "Plejecenterleder", "Faglig leder",
)  # fmt: skip
TOPICS = (
    "Ledelse af forandringer", "Konflikthåndtering i praksis", "Strategisk kompetenceudvikling",
    "Tillidsbaseret ledelse", "Ledelse af ledere", "Det gode arbejdsmiljø", "Økonomistyring",
    "Borgerinddragelse og samskabelse", "Motiverende samtaler", "Coachende lederskab",
    "Ledelse på distancen", "Data og digitalisering", "Faglig ledelse", "Sygefravær og trivsel",
    "Rekruttering og onboarding", "Ledelse i en politisk organisation", "Innovation i driften",
    "Personlig gennemslagskraft", "Svære samtaler", "Tværfagligt samarbejde", "Stresshåndtering",
    "Kommunikation og formidling", "Projektledelse", "Lederens egen udvikling",
)  # fmt: skip
FORMATS = (
    "grundkursus", "for erfarne ledere", "i teams", "– modul", "online", "workshop", "netværk",
    "masterclass", "dialogforløb", "temadag",
)  # fmt: skip
PROVIDERS = (
    "KL", "COK", "Professionshøjskolen Absalon", "VIA University College", "UCL Erhvervsakademi",
    "Københavns Professionshøjskole", "Lederforeningen", "Intern: HR Læring", "Mploy Akademi",
    "Ledelsesakademiet Øresund", "Væksthus for Ledelse", "Nordisk Coachinginstitut",
)  # fmt: skip
AUDIENCES = (
    "Nye ledere i deres første to år.", "Alle ledere med personaleansvar.",
    "Ledere af ledere og centerchefer.", "Faglige ledere og souschefer.",
    "Ledere i skole- og dagtilbudsområdet.", "Ledere i social- og sundhedsområdet.",
)  # fmt: skip
ACTIVITY_WORDS = (
    "Introduktion", "Teori og modeller", "Refleksionsopgave", "Sparring i grupper",
    "Casearbejde", "Praksisøvelse", "Opsamling og evaluering", "E-læringsmodul", "Webinar",
    "Hjemmeopgave", "Eksamen", "Netværksmøde",
)  # fmt: skip
RATIONALES = (
    "Forløbet træner netop dette i praksis: {key} er et gennemgående tema i øvelserne.",
    "Deltagerne arbejder med egne cases, der knytter sig direkte til udsagn {key}.",
    "Kurset giver begreber og redskaber, som understøtter {key} i hverdagens ledelse.",
    "Modulet afsluttes med en opgave, hvor lederen omsætter {key} til egen organisation.",
    "HR vurderer, at forløbet styrker {key}; særligt sparringen med andre ledere bidrager.",
)  # fmt: skip
SUMMARY = (
    "{topic} giver dig som leder i Lyngby-Taarbæk og andre kommuner et fælles sprog og "
    "konkrete greb, du kan bruge i morgen. Forløbet veksler mellem oplæg, øvelser og "
    "refleksion over egen praksis, og du arbejder med en udfordring fra din hverdag."
)
