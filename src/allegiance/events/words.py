"""Word sets and regexes the event extractor reads sentences with (trigger contexts, traps, frames)."""
from __future__ import annotations

import re

SUBJ = ("nsubj", "nsubjpass", "csubj")
ADVERB_PARTICLES = frozenset({"back", "out", "off", "down", "away", "up", "aside"})
LEMMA_FIXES = {"staged": "stage", "staging": "stage", "stages": "stage"}
PHYSICAL_TARGETS = frozenset("""position base town city village area district neighbourhood
neighborhood hospital clinic school market convoy ship vessel tanker freighter building checkpoint
camp home house airport airfield airbase port harbour harbor bridge infrastructure facility plant
station target stronghold outpost depot headquarters road highway region province territory
compound office embassy consulate mosque church power grid shelter site field front frontline
line suburb outskirts quarter street neighbourhoods installation warehouse train bus car vehicle
truck tank aircraft plane jet helicopter drone refinery pipeline dam barracks palace parliament
border crossing enclave pocket hill ridge island coast coastline capital countryside settlement
colony kibbutz gathering crowd rally protest funeral wedding patrol column unit garrison
hideout cell network tunnel launcher battery arsenal ammunition military army""".split())
NON_POLITICAL = re.compile(  # unambiguous on its own: sport, weather, markets, culture
    r"\b(football|soccer|basketball|tennis|cricket|rugby|championship|tournament|olympics?|"
    r"world cup|goalkeeper|midfielder|semi-final|quarter-final|kick-off|nasdaq|dow jones|"
    r"box office|premiered?|film festival|chess|opinion poll|thriller|cinemas?|screenplay|sitcom)\b",
    re.IGNORECASE)
WEAK_NON_POLITICAL = re.compile(  # ambiguous alone ("the Arab League", "death penalty", "storm the city")
    r"\b(league|match|goal|penalty|coach|striker|defender|scored|playoff|fixture|stadium|storm|"
    r"hurricane|typhoon|cyclone|earthquake|flood|film|movie|"
    r"rainfall|forecast|temperatures|shares|stocks|index|album|concert|exhibition|museum|novel|"
    r"poll showed|survey)\b", re.IGNORECASE)
SCORELINE = re.compile(r"\b\d{1,2}-\d{1,2}\b")
VIOLENT = frozenset({"ASSAULT", "COERCE"})
DESCRIPTOR_TYPES = frozenset({"SUPPORT", "AID", "COOPERATE"})
MUTUAL_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE"})  # "X and Y agreed": with each other
WITHHOLD_VERBS = frozenset({"withhold", "cut", "suspend", "freeze", "halt", "block", "stop", "reduce",
                            "slash", "withdraw", "end", "deny", "condition"})
DECISION_VERBS = frozenset({"agree", "decide", "vote", "resolve", "opt", "elect"})
PROTEST_PREPS = frozenset({"after", "amid", "during", "of", "despite", "following", "over"})
CONTENT_FRAMES = frozenset({"demand", "call", "urge", "seek", "want", "ask", "propose", "push", "press",
                            "request", "offer", "promise", "pledge", "plan", "threaten", "reject",
                            "oppose", "refuse", "need", "expect", "consider", "discuss", "negotiate"})
NO_COMMENT = frozenset({"comment", "elaborate", "confirm", "say", "speak", "discuss", "respond",
                        "answer", "specify", "disclose", "give", "provide", "name", "identify"})
MEET_WORDS = frozenset({"talk", "meeting", "negotiation", "visit", "summit", "invitation", "dialogue"})
PURPOSE_VERBS = frozenset({"retake", "recapture", "capture", "seize", "wrest", "reclaim", "take", "drive",
                           "push", "expel", "oust", "dislodge", "rout", "defeat", "crush", "destroy",
                           "eliminate", "clear", "liberate", "free"})
MEDIATOR_NOUNS = frozenset({"mediator", "broker", "intermediary", "go-between", "facilitator", "host"})
MEDIATION_VERBS = frozenset({"broker", "mediate", "host", "facilitate", "arrange", "shuttle"})
READY_ADJ = frozenset({"ready", "willing", "prepared", "open"})
WARN_VERBS = frozenset({"warn", "caution", "fear", "predict", "say", "believe", "expect"})
THREAT_VERBS = frozenset({"threaten", "warn", "vow", "give", "demand", "order", "issue"})
REVERSING_LIGHT = frozenset({"lift", "ease", "end", "suspend", "halt", "call off", "withdraw", "drop", "relax",
                             "loosen", "scrap", "cancel", "stop", "freeze", "cut"})
NOT_VIOLENT_MODIFIERS = frozenset({"charm", "diplomatic", "media", "propaganda", "peace", "pr",
                                   "public-relations", "legal", "political", "verbal", "rhetorical"})
SPEECH_NOUNS = frozenset({"offer", "pressure", "demand", "call", "request", "proposal", "invitation",
                          "ultimatum", "appeal", "warning", "threat", "plea", "criticism", "pledge"})
RESPONSE_VERBS = frozenset({"reject", "accept", "dismiss", "refuse", "decline", "turn down", "rebuff",
                            "spurn", "welcome", "heed", "ignore", "defy", "resist", "bow", "yield",
                            "cave", "give in", "snub", "agree", "embrace", "consider", "study"})
CIVILIAN_PLACES = frozenset({"residential", "district", "neighbourhood", "neighborhood", "home",
                             "house", "market", "apartment", "block", "village", "street", "suburb",
                             "civilian", "shelter", "mosque", "church", "camp", "bakery"})
CONTENT_NOUNS = frozenset({"agreement", "deal", "plan", "proposal", "offer", "demand", "call",
                           "promise", "pledge", "threat", "decision", "bid", "effort", "readiness",
                           "willingness", "right", "permission", "order", "attempt", "vote", "request",
                           "ultimatum", "warning", "invitation", "commitment", "intention", "accord"})
SERIES_NOUNS = frozenset({"round", "series", "wave", "spate", "string", "number", "barrage", "flurry"})
MEETING_PREPS = frozenset({"in", "during", "at", "on"})
HELP_VERBS = frozenset({"help", "support", "back", "aid", "assist", "reinforce", "bolster", "defend",
                        "protect", "prop"})

EQUIPMENT = frozenset({"missile", "rocket", "shell", "drone", "bomb", "tank", "jet", "warplane", "aircraft",
                       "helicopter", "artillery", "weapon", "arm", "ammunition", "gun", "rifle", "system",
                       "launcher", "vehicle", "warship", "submarine", "munition", "supply", "equipment"})

DISASTER = re.compile(r"\b(earthquake|quake|tremor|hurricane|typhoon|cyclone|tornado|flood(?:s|ing)?|"
                      r"landslide|mudslide|wildfire|blaze|avalanche|tsunami|eruption|storm|drought|"
                      r"heatwave|crash|derail\w*|collapse)\b", re.IGNORECASE)

DENY_VERBS = frozenset({"deny", "reject", "dismiss", "refute", "rebut"})
ACCUSATION_NOUNS = frozenset({"accusation", "charge", "allegation", "claim", "assertion"})
STANCE_VERBS = frozenset({"deny", "admit", "claim", "acknowledge", "confirm"})

# definite nouns that refer back to an event already reported ("condemned the measures",
# "rejected the demand", "sanctions on the same targets") -> the types they can refer to
# the acts a noun of attack names by its manner: "the strikes" are bombing or shelling from afar,
# not a ground assault ("militants overran the town"); words not listed take any attack
ANAPHOR_MANNERS: dict[str, frozenset[str]] = {
    **{w: frozenset({"strike", "airstrike", "bomb", "bombard", "hit", "shell", "pound", "raid", "target",
                     "fire", "launch", "blitz"})
       for w in ("strike", "airstrike", "bombing", "bombardment", "raid")},
    "shelling": frozenset({"shell", "fire", "pound", "bombard", "hit", "target"}),
}

EVENT_ANAPHORS: dict[str, frozenset[str]] = {
    **{w: frozenset({"SANCTION"}) for w in ("measure", "sanction", "embargo", "ban", "restriction",
                                            "freeze", "penalty", "expulsion", "tariff", "blockade")},
    **{w: frozenset({"REQUEST"}) for w in ("demand", "call", "request", "ultimatum", "appeal")},
    **{w: frozenset({"AGREE"}) for w in ("offer", "proposal", "deal", "agreement", "plan", "pledge", "accord")},
    **{w: frozenset({"ACCUSE"}) for w in ("accusation", "allegation", "charge", "claim", "criticism")},
    **{w: frozenset({"THREATEN"}) for w in ("threat", "warning")},
    **{w: frozenset({"ASSAULT"}) for w in ("attack", "strike", "airstrike", "offensive", "bombing",
                                           "raid", "shelling", "incursion", "invasion", "assault")},
    **{w: frozenset({"COERCE"}) for w in ("arrest", "detention", "abduction", "kidnapping", "verdict", "sentence",
                                          "conviction", "ruling", "seizure", "eviction", "deportation", "curfew")},
    **{w: frozenset({"COERCE", "ASSAULT"}) for w in ("crackdown", "killing", "killings", "beating", "shooting")},
    **{w: frozenset({"MOBILIZE", "AID"}) for w in ("deployment", "build-up", "buildup", "mobilisation",
                                                   "mobilization", "reinforcement", "exercise", "drill")},
    **{w: frozenset({"SANCTION", "COERCE", "ASSAULT", "MOBILIZE", "AID", "SUPPORT", "COOPERATE"})
       for w in ("move", "decision", "step", "action")},
}
#: a coup named as what is judged ("welcomed the coup", "condemned the putsch"): its makers are the target
COUP_NOUNS = frozenset({"coup", "putsch", "coup d'etat", "coup d'état"})
COUP_JUDGED = frozenset({"SUPPORT", "ACCUSE", "REJECT", "SANCTION", "REQUEST", "PROTEST"})
#: what an offered mediation hosts ("offered to host talks"; not "to host exercises")
MEDIATED_MEETINGS = frozenset({"talk", "negotiation", "meeting", "summit", "conference", "dialogue", "round"})
