"""Who is meant across clauses and sentences: definite descriptions, conjoined origins,
companions, and references back to earlier events.

Every text here was written for these tests; each test names the rule it exercises.
"""
from __future__ import annotations

from tests.conftest import dyads


def _named(records: list[dict], etype: str) -> set[tuple]:
    return {(r["source"]["name"] if r["source"] else None, r["target"]["name"] if r["target"] else None)
            for r in records if r["event_type"] == etype}


def test_fighters_from_a_state_and_a_named_group_are_two_actors(code):
    recs = code("Fighters from Iran and Lebanon's Hezbollah attacked rebel positions near Aleppo.")
    sources = {r["source"]["name"] or r["source"]["country"] for r in recs if r["event_type"] == "ASSAULT"}
    assert {"IRN", "Hezbollah"} <= sources


def test_the_jets_are_the_warplanes_just_named(code):
    recs = code("Russian warplanes flew dozens of sorties over Idlib on Monday. "
                "Rebel commanders said the jets struck their positions near Saraqeb.")
    strikes = [r for r in recs if r["evidence"]["trigger"] == "struck"]
    assert strikes and strikes[0]["source"]["country"] == "RUS"


def test_the_troops_are_not_any_force_just_named(code):
    # "the troops" has no antecedent with the same head word: it is not the warplanes' owner
    recs = code("Russian warplanes bombed Idlib on Monday. The troops advanced on Saraqeb on Tuesday.")
    adv = [r for r in recs if r["evidence"]["trigger"].startswith("advanced")]
    assert not adv or adv[0]["source"]["country"] != "RUS"


def test_the_rebels_are_the_rebel_group_just_named(code):
    recs = code("Kinshasa accuses Kigali of arming the M23. Rwanda denied backing the rebels on Friday.")
    assert ("Rwanda", "M23") in _named(recs, "SUPPORT") | _named(recs, "AID")


def test_the_kingdom_is_the_state_of_the_official_just_quoted(code):
    recs = code("Washington did not comment, but a Saudi official said on Monday that the kingdom "
                "would step up military aid to the opposition.")
    agree = [r for r in recs if r["event_type"] == "AGREE"]
    assert agree and agree[0]["source"]["country"] == "SAU"


def test_the_country_of_its_own_rulers_is_not_a_target(code):
    recs = code("Chad's military rulers pulled the country out of the regional force on Friday.")
    assert all(not (r["target"] and r["target"]["country"] == "TCD") for r in recs)


def test_fighting_alongside_is_cooperation_with_the_companion(code):
    got = dyads(code("Somalia's army, fighting alongside Kenyan troops, said it had retaken two towns "
                     "from al-Shabaab."))
    assert ("COOPERATE", "SOM", "KEN") in got or ("COOPERATE", "KEN", "SOM") in got
    assert ("ASSAULT", "SOM", "KEN") not in got


def test_troops_kept_alongside_a_group_is_cooperation(code):
    recs = code("Britain, which keeps about 300 soldiers in Estonia alongside the Estonian army, "
                "said on Friday it would send more.")
    coop = [r for r in recs if r["event_type"] == "COOPERATE"]
    assert coop and coop[0]["source"]["country"] == "GBR" and coop[0]["target"]["country"] == "EST"


def test_together_with_still_adds_a_companion_source(code):
    got = dyads(code("Macron will travel to Kyiv on Friday together with the German chancellor."))
    assert ("AGREE", "DEU", "UKR") in got and ("AGREE", "FRA", "UKR") in got


def test_fighting_with_a_coalition_is_membership_not_combat(code):
    got = dyads(code("Four Kenyan soldiers who had fought with the US-led coalition were freed on Monday."))
    assert ("COOPERATE", "KEN", "USA") in got and ("ASSAULT", "KEN", "USA") not in got


def test_fighting_with_troops_is_still_combat(code):
    got = dyads(code("Rebels fought with government troops in the suburbs of Damascus on Friday."))
    assert ("ASSAULT", "SYR", "SYR") in got


def _affiliations(records: list[dict]) -> set[tuple]:
    return {(r[role]["text"], a["relation"], a["country"]) for r in records for role in ("source", "target")
            if r[role] for a in r[role].get("affiliations", [])}


def test_descriptors_name_patrons_without_events(code):
    recs = code("Yemen's Saudi-backed government and the Iran-aligned Houthi movement swapped prisoners "
                "on Thursday.")
    aff = _affiliations(recs)
    assert ("Yemen's Saudi-backed government", "backed", "SAU") in aff
    assert ("the Iran-aligned Houthi movement", "aligned", "IRN") in aff
    assert not [r for r in recs if r["event_type"] in ("AID", "SUPPORT")]  # a descriptor, not an event


def test_descriptor_after_the_noun_and_pro(code):
    assert ("Rebels", "backed", "TUR") in _affiliations(code("Rebels backed by Turkey attacked Kurdish fighters."))
    assert ("Pro-Russian separatists", "pro", "RUS") in _affiliations(
        code("Pro-Russian separatists shelled Ukrainian positions near Donetsk."))


def test_own_country_leading_its_coalition_is_no_affiliation(code):
    recs = code("The US-led coalition struck Islamic State positions near Raqqa.")
    assert not _affiliations(recs)


def test_condemning_the_measures_targets_their_author(code):
    recs = code("Canada imposed sanctions on Iranian security officials on Monday. "
                "Iran's foreign ministry condemned the measures as interference.")
    assert ("ACCUSE", "IRN", "CAN") in dyads(recs)


def test_rejecting_the_demand_targets_whoever_made_it(code):
    recs = code("Baghdad demanded that Turkish troops leave Iraqi territory. "
                "Ankara rejected the demand on Wednesday.")
    assert ("REJECT", "TUR", "IRQ") in dyads(recs)


def test_sanctions_on_the_same_targets(code):
    recs = code("Canada imposed sanctions on three Russian generals on Monday. "
                "Australia announced sanctions on the same targets.")
    assert ("SANCTION", "AUS", "RUS") in dyads(recs)


def test_a_measure_named_with_its_author_is_not_an_anaphor(code):
    recs = code("Canada imposed sanctions on Iranian officials on Monday. "
                "Tehran condemned the Australian measures on Tuesday.")
    assert ("ACCUSE", "IRN", "CAN") not in dyads(recs)


def test_a_dateline_is_not_the_subject(code):
    recs = code("KABUL/ISLAMABAD — Pakistan and Afghanistan exchanged prisoners on Thursday.")
    assert ("RETREAT", "PAK", "AFG") in dyads(recs) or ("RETREAT", "AFG", "PAK") in dyads(recs)


def test_a_descriptor_followed_by_a_name_is_that_name(code):
    recs = code("Wagner fighters were deployed in Mali. The West African bloc ECOWAS imposed a trade "
                "embargo on Mali last month.")
    assert ("SANCTION", "IGO", "MLI") in dyads(recs)


def test_whose_fighters_are_the_antecedent_groups(code):
    recs = code("Paris accused Bamako of hiring mercenaries from the Wagner Group, whose fighters have been "
                "deployed in central Mali to support the army.")
    assert ("Wagner Group", "Mali") in _named(recs, "AID")
    assert any(r["target"] and r["target"]["name"] == "Wagner Group" for r in recs
               if r["event_type"] == "COOPERATE")


def test_an_attack_that_joins_or_backs_another_shares_its_target(code):
    recs = code("Malian troops launched an offensive against jihadist camps near Gao on Monday, backed by "
                "French air strikes, while soldiers from Niger joined the assault.")
    hits = {r["source"]["country"]: (r["target"] or {}).get("sector") for r in recs if r["event_type"] == "ASSAULT"}
    assert hits == {"MLI": "REB", "FRA": "REB", "NER": "REB"}


def test_an_unrelated_attack_does_not_borrow_a_target(code):
    recs = code("Malian troops attacked jihadist camps near Gao on Monday. "
                "A bomb exploded in a market in Bamako on Tuesday.")
    bomb = [r for r in recs if "exploded" in r["evidence"]["trigger"]]
    assert all(not (r["target"] and r["target"]["country"] == "IMG") for r in bomb)


def test_joint_force_with_a_partner_is_cooperation(code):
    recs = code("Russian troops arrived in Minsk on Monday for a joint regional force with the Belarusian army.")
    assert ("COOPERATE", "RUS", "BLR") in dyads(recs)


def test_cutting_a_groups_supply_route_is_coercion_of_the_group(code):
    recs = code("Iraqi forces cut Islamic State's main supply route to Raqqa on Monday.")
    assert ("COERCE", "IRQ", "IMG") in dyads(recs)


def test_a_regional_force_is_multinational(code):
    recs = code("A multinational force attacked rebel positions near Goma on Monday.")
    src = [r["source"] for r in recs if r["event_type"] == "ASSAULT"]
    assert src and (src[0]["country"], src[0]["sector"]) == ("IGO", "MIL")


def test_an_appeal_to_stand_by_a_partner_is_a_request_for_support(code):
    recs = code("Estonia urged NATO to stand by its eastern members on Tuesday.")
    req = [r for r in recs if r["event_type"] == "REQUEST"]
    assert req and req[0]["mode"] == "assist"
    demand = [r for r in code("Estonia urged Russia to withdraw its troops from the border.")
              if r["event_type"] == "REQUEST"]
    assert demand and demand[0]["mode"] == "yield"  # a call to withdraw asks the target to yield


def test_opening_an_embassy_is_support_for_the_host_state(code):
    got = dyads(code("Kosovo opened an embassy in Jerusalem on Monday, the foreign ministry said."))
    assert any(t == "SUPPORT" and src is not None and tgt == "ISR" for t, src, tgt in got), got
    assert not code("The company opened an office in Berlin on Monday.")


def test_soldiers_from_a_force_keep_their_origin_when_the_parser_detaches_it(code):
    recs = code("Somalia's army, fighting alongside Kenyan troops and soldiers from a regional force, "
                "said it had retaken the town.")
    partners = {(r["target"]["country"], r["target"]["sector"]) for r in recs
                if r["event_type"] == "COOPERATE" and r["target"]}
    assert ("IGO", "MIL") in partners and ("KEN", "MIL") in partners


def test_troops_withdrawn_from_a_country_are_not_from_it(code):
    recs = code("Russia withdrew its troops from Syria last year.")
    assert all(r["source"]["country"] == "RUS" for r in recs if r["source"])


def test_welcoming_the_shelling_supports_the_shellers_not_a_later_ground_assault(code):
    recs = code("Belgian soldiers shelled insurgent camps near Kidal on Monday. "
                "Hours later, Ansar Dine fighters overran a police post in the north. "
                "Malian ministers welcomed the shelling.")
    assert ("SUPPORT", "MLI", "BEL") in dyads(recs)
    assert ("SUPPORT", "MLI", "MLI") not in dyads(recs)


def test_the_author_of_welcomed_strikes_named_by_its_jets_is_kept(code):
    recs = code("Belgian jets bombed insurgent camps near Kidal on Monday. "
                "Malian ministers welcomed the strikes.")
    assert ("SUPPORT", "MLI", "BEL") in dyads(recs)


def test_welcomed_strikes_skip_an_attack_of_no_known_author(code):
    recs = code("Belgian jets bombed insurgent camps near Kidal on Monday. "
                "Later a drone hit a convoy of trucks outside the town. "
                "Malian ministers welcomed the strikes.")
    assert ("SUPPORT", "MLI", "BEL") in dyads(recs)
