"""What a leader or an HR person types, and the courses they would expect to see.

Written by hand from the demo catalogue (``seed/demo.yaml``) as a person reading the course
descriptions would judge them, before the search was run on them; never derived from the
search's output. ``demo`` names the demo courses a person would expect (most obvious first;
order does not count). ``topics`` names the generator's course topics (``bench/datagen/
texts.py: TOPICS``) a person would also expect at scale M, where generated courses such as
"Konflikthåndtering i praksis – workshop" are as good a hit as the demo's.

``SYNONYMS`` are the synonyms HR is expected to keep (issue 20 names the first two); the
benchmark adds them, as HR would through ``searchSynonymAdd``, before it searches.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Judgement:
    query: str
    demo: frozenset[str]
    topics: frozenset[str] = field(default_factory=frozenset)
    #: What the query tries: a compound, an inflection, a typo, ASCII, a synonym, a statement.
    tries: str = "word"


def _j(query: str, demo: str, topics: str = "", tries: str = "word") -> Judgement:
    return Judgement(
        query,
        frozenset(demo.split()),
        frozenset(t.strip() for t in topics.split("|") if t.strip()),
        tries,
    )


SYNONYMS: tuple[tuple[str, str], ...] = (
    ("MUS", "medarbejderudviklingssamtale"),
    ("trivsel", "arbejdsmiljø"),
    ("MUS", "medarbejdersamtale"),
    ("GDPR", "databeskyttelse"),
    ("stress", "robusthed"),
)

JUDGEMENTS: tuple[Judgement, ...] = (
    _j("forandringsledelse", "DIP-LED-04 KUR-KOMMUNIKATION OJT-IMPLEMENTERING",
       "Ledelse af forandringer", "compound"),
    _j("ledelse af forandringer", "DIP-LED-04 KUR-KOMMUNIKATION OJT-IMPLEMENTERING",
       "Ledelse af forandringer"),
    _j("budget", "KUR-BUDGET EVT-BUDGET DIP-LED-06", "Økonomistyring", "compound parts"),
    _j("budgettet", "KUR-BUDGET EVT-BUDGET DIP-LED-06", "Økonomistyring", "inflection"),
    _j("budgetopfølgning", "DIP-LED-06 KUR-BUDGET EVT-BUDGET", "Økonomistyring", "compound"),
    _j("budgetprocessen", "EVT-BUDGET KUR-BUDGET", "Økonomistyring", "compound"),
    _j("økonomistyring", "DIP-LED-06 KUR-BUDGET", "Økonomistyring"),
    _j("oekonomi", "DIP-LED-06 KUR-BUDGET", "Økonomistyring", "ascii"),
    _j("konflikthåndtering", "KUR-KONFLIKT", "Konflikthåndtering i praksis"),
    _j("konflikthaandtering", "KUR-KONFLIKT", "Konflikthåndtering i praksis", "ascii"),
    _j("konflikter", "KUR-KONFLIKT KUR-SVAERSAMTALE", "Konflikthåndtering i praksis",
       "inflection"),
    _j("konfikt", "KUR-KONFLIKT", "Konflikthåndtering i praksis", "typo"),
    _j("feedback", "KUR-FEEDBACK COA-360 DIP-LED-02 DIP-LED-03 DIP-LED-09", "", "statement"),
    _j("feedbak", "KUR-FEEDBACK COA-360 DIP-LED-02", "", "typo"),
    _j("svære samtaler", "KUR-SVAERSAMTALE", "Svære samtaler"),
    _j("sygefravær", "KUR-SVAERSAMTALE", "Sygefravær og trivsel"),
    _j("trivsel", "KUR-SVAERSAMTALE DIP-LED-03 KUR-ARBMILJO",
       "Sygefravær og trivsel | Det gode arbejdsmiljø", "synonym"),
    _j("arbejdsmiljø", "KUR-ARBMILJO DIP-LED-03", "Det gode arbejdsmiljø"),
    _j("arbejdsmiljoe", "KUR-ARBMILJO DIP-LED-03", "Det gode arbejdsmiljø", "ascii"),
    _j("MUS", "DIP-LED-03", "", "synonym"),
    _j("medarbejderudviklingssamtale", "DIP-LED-03", "", "synonym"),
    _j("coaching", "DIP-LED-09 COA-INDIVID COA-TEAM COA-360", "Coachende lederskab"),
    _j("strategi", "DIP-LED-05", "", "inflection"),
    _j("strategisk ledelse", "DIP-LED-05"),
    _j("innovation", "DIP-LED-08 NET-VELFTEK", "Innovation i driften"),
    _j("velfærdsteknologi", "NET-VELFTEK"),
    _j("politisk betjening", "KUR-POLITISK EVT-POLITISK OJT-SKYGGE",
       "Ledelse i en politisk organisation"),
    _j("dagsordenspunkt", "KUR-POLITISK"),
    _j("nøgletal", "OJT-NOEGLETAL KUR-DATA"),
    _j("data", "KUR-DATA OJT-NOEGLETAL", "Data og digitalisering"),
    _j("ledelsesinformation", "KUR-DATA"),
    _j("kommunikation", "KUR-KOMMUNIKATION", "Kommunikation og formidling"),
    _j("kommunkation", "KUR-KOMMUNIKATION", "Kommunikation og formidling", "typo"),
    _j("formidling af beslutninger", "KUR-KOMMUNIKATION"),
    _j("nye ledere", "NET-NYELEDERE MEN-NYLEDER EL-LTK-INTRO"),
    _j("mentor", "MEN-NYLEDER MEN-LEDERAFLEDERE"),
    _j("leder af ledere", "MEN-LEDERAFLEDERE", "Ledelse af ledere"),
    _j("netværk", "NET-NYELEDERE NET-TVAERS NET-SKOLE NET-VELFTEK"),
    _j("borgerinddragelse", "KUR-SAMSKABELSE OJT-BORGERREJSE",
       "Borgerinddragelse og samskabelse"),
    _j("samskabelse", "KUR-SAMSKABELSE", "Borgerinddragelse og samskabelse"),
    _j("stress", "KUR-ROBUST", "Stresshåndtering", "synonym"),
    _j("robusthed", "KUR-ROBUST", "Stresshåndtering", "synonym"),
    _j("kompetenceudvikling", "KUR-KOMPETENCE", "Strategisk kompetenceudvikling"),
    _j("kompetenceplan", "KUR-KOMPETENCE", "Strategisk kompetenceudvikling"),
    _j("forvaltningsret", "EL-FORVALTNING"),
    _j("aktindsigt", "EL-FORVALTNING"),
    _j("GDPR", "EL-INFOSIKKERHED", "", "synonym"),
    _j("informationssikkerhed", "EL-INFOSIKKERHED"),
    _j("kunstig intelligens", "EL-AI"),
    _j("tværfagligt samarbejde", "NET-TVAERS COA-TEAM OJT-TVAERPROJEKT",
       "Tværfagligt samarbejde"),
    _j("projektledelse", "OJT-TVAERPROJEKT OJT-IMPLEMENTERING", "Projektledelse", "compound"),
    _j("implementering", "OJT-IMPLEMENTERING"),
    _j("ledergruppe", "COA-TEAM"),
    _j("360 graders evaluering", "COA-360"),
    _j("ny viden", "EVT-FAGDAG NET-SKOLE"),
    _j("skoleledere", "NET-SKOLE"),
    _j("organisationsanalyse", "DIP-LED-01"),
    _j("motivation", "DIP-LED-03", "Motiverende samtaler", "inflection"),
    _j("diplom i ledelse", "DIP-LED-01 DIP-LED-02 DIP-LED-03 DIP-LED-04 DIP-LED-05 "
       "DIP-LED-06 DIP-LED-07 DIP-LED-08 DIP-LED-09"),
)  # fmt: skip
