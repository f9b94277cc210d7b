"""Rules found by coding conflicts the development gold does not cover (Libya, Tigray, Somalia).

Every sentence here was written for these tests; each test names the rule it exercises.
"""
from __future__ import annotations

from tests.conftest import dyads


def _one(records: list[dict], etype: str) -> list[dict]:
    return [r for r in records if r["event_type"] == etype]


def _actor(a: dict | None) -> tuple | None:
    return None if a is None else (a["name"], a["country"], a["sector"])


def test_two_catalog_forms_of_one_name_make_one_mention(code):
    # "Prime Minister Abiy" and "Abiy Ahmed" overlap: the union is the person
    recs = code("Prime Minister Abiy Ahmed rejected the mediators' proposal on Sunday.", "2021-03-01")
    rej = _one(recs, "REJECT")
    assert rej and _actor(rej[0]["source"]) == ("Abiy Ahmed", "ETH", "GOV")


def test_prefixed_irregular_verb_is_lemmatised(code):
    # "retook" is left as its own lemma by the rule lemmatizer; the repair gives "retake"
    recs = code("Government troops retook the town of Bulo Burte from al-Shabaab on Friday.", "2022-09-10")
    got = _one(recs, "ASSAULT")
    assert got and got[0]["rule"].startswith("verb:retake")
    assert _actor(got[0]["target"]) == ("al-Shabaab", "SOM", "REB")  # who held the place


def test_a_vow_to_attack_is_a_threat(code):
    recs = code("The interior minister vowed to retake the city from the militia within days.", "2020-06-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("THREATEN", "violence")]
    plain = code("The minister vowed to meet the tribal elders next week.", "2020-06-01")
    assert not _one(plain, "THREATEN")


def test_a_call_to_withdraw_asks_to_yield_and_a_second_call_keeps_the_speaker(code):
    recs = code("Washington urged Kigali to pull its soldiers out and called on the rebels to disarm.",
                "2024-02-01")
    req = _one(recs, "REQUEST")
    assert {r["mode"] for r in req} == {"yield"}
    assert {r["source"]["country"] for r in req} == {"USA"}  # not Rwanda, the object of "urged"
    assert ("REQUEST", "USA", "RWA") in dyads(recs)


def test_suspended_support_falls_on_its_recipient(code):
    got = dyads(code("Britain suspended 40 million pounds in budget support to Malawi.", "2019-05-01"))
    assert ("SANCTION", "GBR", "MWI") in got
    got = dyads(code("The European Union froze funding for the Palestinian Authority on Monday.", "2023-10-10"))
    assert ("SANCTION", "EUR", "PSE") in got


def test_a_casualty_clause_is_the_attack_not_a_second_one(code):
    recs = code("Russian missiles struck Odesa overnight, killing five civilians, officials said.", "2023-07-20")
    attacks = _one(recs, "ASSAULT")
    assert len(attacks) == 1
    assert (attacks[0]["target"]["country"], attacks[0]["target"]["sector"]) == ("UKR", "CVL")
    # an attack by someone else in the same sentence is still its own event
    two = code("Rebels shelled the town, killing two soldiers, and army jets bombed their camp.", "2023-07-20")
    assert len(_one(two, "ASSAULT")) == 2


def test_an_unseen_acronym_before_the_verb_is_its_subject(code):
    recs = code("The TPLF shelled the town of Alamata on Thursday and accused Eritrea of sending troops.",
                "2020-12-05")
    srcs = {_actor(r["source"]) for r in recs if r["event_type"] in ("ASSAULT", "ACCUSE")}
    assert ("Tigray People's Liberation Front", "ETH", "REB") in srcs
    assert ("ACCUSE", "ETH", "ERI") in dyads(recs)


def test_a_regional_adjective_names_its_state(code):
    recs = code("Tigrayan rebels shelled the airport in Bahir Dar on Friday.", "2021-11-10")
    a = _one(recs, "ASSAULT")
    assert a and (a[0]["source"]["country"], a[0]["source"]["sector"]) == ("ETH", "REB")


def test_an_unnamed_armed_group_led_by_a_named_one_is_that_group(code):
    recs = code("Fighters led by the M23 shelled an army position near Sake on Monday.", "2024-02-06")
    a = _one(recs, "ASSAULT")
    assert a and _actor(a[0]["source"]) == ("M23", "COD", "REB")
    led = code("Protesters led by students marched on parliament in Dhaka.", "2024-08-01")
    assert all((r["source"] or {}).get("name") is None for r in led)  # a crowd is not its leaders


def test_an_offensive_in_a_time_phrase_is_the_armed_subjects(code):
    got = dyads(code("Rebels seized two towns in Shan state after a surprise offensive against the army.",
                     "2023-11-01"))
    assert ("ASSAULT", "MMR", "MMR") in got or any(t == "ASSAULT" and tgt == "MMR" for t, _, tgt in got)
    civil = code("Thousands of civilians fled after an offensive against the rebels.", "2023-11-01")
    assert not _one(civil, "ASSAULT")  # the people who fled did not attack anyone


def test_revoking_an_accord_with_a_state_withdraws_cooperation_from_it(code):
    got = dyads(code("The junta in Bamako revoked its defence agreements with Paris.", "2022-05-03"))
    assert ("SANCTION", "MLI", "FRA") in got
    assert not any(t == "SANCTION" and tgt == "MLI" for t, _, tgt in got)  # not its own "agreements"
    assert not code("The club terminated the coach's contract after the defeat.", "2022-05-03")


def test_a_sector_word_on_a_thing_names_no_actor(code):
    recs = code("Washington will withhold part of its military aid to Cairo, officials said.", "2021-09-01")
    tgt = [r["target"] for r in recs if r["event_type"] == "SANCTION"]
    assert tgt and (tgt[0]["country"], tgt[0]["sector"]) == ("EGY", "GOV")


def test_the_topic_of_a_meeting_is_not_a_party_to_it(code):
    recs = code("EU defence ministers met in Brussels to discuss ammunition deliveries to Ukraine.", "2024-03-01")
    consult = _one(recs, "CONSULT")
    assert consult and all(r["target"] is None or r["target"]["country"] != "UKR" for r in consult)


def test_a_capital_that_receives_something_is_its_government(code):
    assert ("AGREE", "DEU", "UKR") in dyads(code("Berlin pledged new air defence systems to Kyiv.", "2023-09-01"))
    recs = code("The EU suspended budget aid to Niamey after the coup.", "2023-08-01")
    s = _one(recs, "SANCTION")
    assert s and (s[0]["target"]["country"], s[0]["target"]["sector"]) == ("NER", "GOV")
    visit = code("Macron flew to Kyiv on Monday.", "2023-09-01")  # a place to travel to stays a place
    assert ("CONSULT", "FRA", "UKR") in dyads(visit)


def test_a_leader_travelling_at_home_visits_no_one(code):
    assert not _one(code("Zelensky flew to Kyiv on Monday after a tour of the front.", "2023-09-01"), "CONSULT")


def test_market_and_leisure_metaphors_are_not_events(code):
    for text in ("Investors pulled money out of emerging markets as the lira slid.",
                 "The carmaker launched a fresh offensive in the European market with two new models.",
                 "Tourists invaded the beaches of Crete over the long weekend.",
                 "The slide in industrial output was arrested in the third quarter."):
        assert code(text, "2024-02-01") == [], text


def test_threatened_tariffs_restrict_and_a_dropped_threat_is_a_concession(code):
    recs = code("The president threatened steep tariffs on Mexican steel.", "2024-02-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("THREATEN", "restrict")]
    recs = code("Washington dropped its threat of new tariffs on Mexican steel.", "2024-02-01")
    assert _one(recs, "CONCEDE") and not _one(recs, "THREATEN")
    recs = code("Moscow withdrew its demand that NATO pull back its forces.", "2024-02-01")
    assert [r["event_type"] for r in recs] == ["CONCEDE"]  # not a military retreat


def test_refusing_to_be_cowed_rejects_the_pressurer(code):
    assert ("REJECT", "TWN", "CHN") in dyads(code("Taiwan will not be intimidated by Beijing, its premier said.",
                                                  "2024-02-01"))
    assert ("REJECT", "COL", "USA") in dyads(code("Colombia turned back two US military planes carrying migrants.",
                                                  "2025-01-27"))


def test_leaving_a_named_bloc_and_a_plural_pronoun_for_a_conjoined_antecedent(code):
    recs = code("The juntas of Mali, Burkina Faso and Niger said they were leaving ECOWAS immediately.",
                "2024-01-29")
    got = dyads(recs)
    assert {("SANCTION", c, "IGO") for c in ("MLI", "BFA", "NER")} <= got, got
    assert not _one(code("The minister left Hamas headquarters in Doha after the meeting.", "2024-01-29"), "SANCTION")
    drills = dyads(code("Iran and Russia said they would hold joint naval drills next month.", "2024-01-29"))
    assert {("AGREE", "IRN", "RUS"), ("AGREE", "RUS", "IRN")} <= drills  # future cooperation


def test_a_joint_operation_is_cooperation_and_an_attack_on_its_target(code):
    got = dyads(code("Kenyan officers and Haitian police launched a joint operation against gangs "
                     "in Port-au-Prince.", "2024-08-01"))
    assert {("COOPERATE", "KEN", "HTI"), ("ASSAULT", "KEN", "HTI"), ("ASSAULT", "HTI", "HTI")} <= got
    assert not code("Surgeons carried out an operation on the injured minister.", "2024-08-01")


def test_one_meeting_named_twice_is_one_meeting(code):
    recs = code("Erdogan visited Putin in Sochi on Friday, their first meeting since the summer.", "2021-09-30")
    assert len(_one(recs, "CONSULT")) == 1


def test_his_counterpart_is_the_same_office_in_the_other_state(code):
    recs = code("Lavrov met his Chinese counterpart in Astana on Wednesday.", "2024-07-03")
    consult = _one(recs, "CONSULT")
    assert consult and {_actor(r["target"]) for r in consult} >= {("Wang Yi", "CHN", "GOV")}


def test_visits_hosts_and_mediators_in_other_words(code):
    assert ("CONSULT", "UKR", "SAU") in dyads(code("The Saudi crown prince welcomed Zelensky to Jeddah.", "2023-05-19"))
    assert ("CONSULT", "PAK", "CHN") in dyads(code("Pakistan's army chief paid an official visit to Beijing.",
                                                  "2024-05-10"))
    got = dyads(code("Qatari mediators shuttled between Israeli and Hamas delegations in Doha.", "2024-05-10"))
    assert {("CONSULT", "QAT", "ISR"), ("CONSULT", "QAT", "PSE")} <= got
    got = dyads(code("The UN envoy arrived in Tripoli for talks with the Libyan government.", "2020-01-10"))
    assert any(t == "CONSULT" and s == "UNO" and g == "LBY" for t, s, g in got), got
    assert not _one(code("The minister welcomed the decision of the court.", "2024-05-10"), "CONSULT")


def test_descriptor_participle_before_a_noun_is_not_an_event(code):
    assert not _one(code("Guterres met the UN-backed government in Tripoli.", "2020-01-10"), "SUPPORT")


def test_crowds_that_take_to_the_streets_protest(code):
    for text in ("Thousands of Georgians took to the streets of Tbilisi to protest against the law.",
                 "Hundreds of people demonstrated in Tehran on Sunday.",
                 "Opposition supporters staged a sit-in outside the electoral commission in Kinshasa."):
        assert _one(code(text, "2024-05-10"), "PROTEST"), text


def test_what_protesters_do_as_a_crowd_is_protest_and_the_same_verbs_by_others_are_not(code):
    """Blocking, occupying, storming, burning, gathering by protesters, strikers, students or
    residents: collective civilian action (PROTEST, its mode from the act); the verbs alone do
    not make a protest (an army storms, leaders gather, settlers throwing stones attack)."""
    acts = [("Hundreds of striking dockers blocked the port road in Callao on Monday.", None),
            ("Several hundred demonstrators occupied the rail tracks at the main station in Porto.", "obstruct"),
            ("Protesters stormed the provincial assembly in Jaffna and set fire to its records room.", "riot"),
            ("Thousands of protesters converged on the central square of Yerevan on Friday.", "demo"),
            ("Students threw bottles at riot police outside the university in Caracas.", "riot"),
            ("Opposition deputies walked out of the chamber before the vote in Tirana.", "boycott"),
            ("Residents of the capital banged pots and pans from their windows against the curfew.", "demo")]
    for text, mode in acts:
        got = _one(code(text, "2024-05-10"), "PROTEST")
        assert got, text
        assert mode is None or mode in {r["mode"] for r in got}, (text, [r["mode"] for r in got])
    for text in ("Army units stormed the rebel-held village at dawn.",
                 "Foreign ministers gathered in Vienna for the conference.",
                 "A large crowd gathered in the main square of Seoul to welcome the new year.",
                 "Fans filled the stadium in Lima for the final."):
        assert not _one(code(text, "2024-05-10"), "PROTEST"), text


def test_taking_back_a_coercive_measure_concedes(code):
    """Voiding a warrant, withdrawing a decree, repealing a law, scrapping a curfew: CONCEDE; the
    same verbs on troops or on a treaty keep their own senses (RETREAT, SANCTION)."""
    for text in ("A court in Cuenca voided the arrest warrant issued for the former mayor on Tuesday.",
                 "The interior ministry withdrew the decree that restricted public gatherings in Conakry.",
                 "Parliament in Kathmandu repealed the security law after weeks of strikes.",
                 "The military council in Niamey scrapped the nightly curfew on Friday."):
        assert _one(code(text, "2021-04-02"), "CONCEDE"), text
    troops = code("The army withdrew its troops from the border town of Gao.", "2021-04-02")
    assert _one(troops, "RETREAT") and not _one(troops, "CONCEDE")
    pact = code("Ghana scrapped its trade accord with Togo on Monday.", "2021-04-02")
    assert _one(pact, "SANCTION") and not _one(pact, "CONCEDE")


def test_an_act_on_a_thing_in_a_state_concerns_that_state(code):
    recs = code("Canada said it would not recognise the results of the referendum in Moldova.", "2021-04-02")
    assert ("REJECT", "CAN", "MDA") in dyads(recs)


def test_the_forces_a_speaker_addresses_are_the_speakers_country_failing_other_names(code):
    text = "ERDOGAN (televised address, 16 July): I call on the police to arrest every officer who took part."
    assert ("REQUEST", "TUR", "TUR") in dyads(code(text, "2016-07-16"))


def test_what_an_authority_orders_done_to_someone_is_its_own_act(code):
    """'ordered him held' is the orderer's arrest, 'ordered the ambassador to leave' its expulsion;
    ordering another party to act stays a demand."""
    got = dyads(code("A judge in Izmir ordered the two journalists held in custody pending trial.", "2021-04-02"))
    assert any(t == "COERCE" for t, _, _ in got) and not any(t == "REQUEST" for t, _, _ in got)
    got = dyads(code("Morocco ordered the Algerian ambassador to leave the country within 48 hours.", "2021-04-02"))
    assert ("SANCTION", "MAR", "DZA") in got and not any(t == "REQUEST" for t, _, _ in got)
    got = dyads(code("A court in Lahore ordered the government to restore mobile internet services.", "2021-04-02"))
    assert ("REQUEST", "PAK", "PAK") in got


def test_the_one_asked_at_home_is_the_target_of_the_request(code):
    """An explicit addressee of one's own country is still the one asked ("Lula urged Congress")."""
    got = dyads(code("President Lula urged Congress on Tuesday to approve the new spending rules.", "2023-04-11"))
    assert ("REQUEST", "BRA", "BRA") in got
    got = dyads(code("Brazil's opposition leader called on the armed forces to respect the election result.",
                     "2022-10-31"))
    assert ("REQUEST", "BRA", "BRA") in got


def test_an_order_to_ones_own_forces_is_their_movement_not_a_demand(code):
    recs = code("The army chief ordered his troops to advance on the provincial capital on Monday.", "2021-04-02")
    assert _one(recs, "MOBILIZE") and not _one(recs, "REQUEST")
    recs = code("The commander ordered his fighters out of the besieged town overnight.", "2021-04-02")
    assert _one(recs, "RETREAT") and not _one(recs, "REQUEST")


def test_vowing_to_hunt_down_attackers_threatens_and_a_deadline_is_a_demand(code):
    recs = code("President Tinubu vowed to hunt down the gunmen who attacked the village in Plateau state.",
                "2023-12-27")
    assert [(r["event_type"], r["mode"]) for r in _one(recs, "THREATEN")] == [("THREATEN", "violence")]
    recs = code("The African Union gave the junta a deadline to hand power to civilians.", "2021-09-16")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("REQUEST", "change")]
    recs = code("Mali's transitional government announced a general conscription of men aged 18 to 35.",
                "2022-05-02")
    assert ("MOBILIZE", "MLI") in {(r["event_type"], r["source"]["country"]) for r in recs}


def test_a_group_that_claims_the_attack_is_its_attacker(code):
    recs = code("Gunmen stormed a police post in Mandera on Friday, killing four officers. "
                "Al-Shabaab claimed the attack.", "2022-06-10")
    srcs = {((r["source"] or {}).get("name") or "").lower() + "/" + str((r["source"] or {}).get("country"))
            for r in _one(recs, "ASSAULT")}
    assert "al-shabaab/SOM" in srcs


def test_an_arrest_on_charges_also_accuses_the_detainee(code):
    got = dyads(code("Iran's intelligence ministry detained a French researcher in Tehran on suspicion of espionage.",
                     "2022-05-02"))
    assert ("COERCE", "IRN", "FRA") in got and ("ACCUSE", "IRN", "FRA") in got
    got = dyads(code("Police in Nairobi detained two Ugandan students after the protest.", "2022-05-02"))
    assert not any(t == "ACCUSE" for t, _, _ in got)


def test_a_killing_reported_after_its_attack_is_that_attack(code):
    recs = code("The shelling of a market in Donetsk by Ukrainian forces killed seven people.", "2022-02-22")
    assert len(_one(recs, "ASSAULT")) == 1


def test_the_signer_of_a_decree_does_what_the_decree_does(code):
    recs = code("Putin signed decrees recognising the independence of the two breakaway regions.", "2022-02-22")
    s = _one(recs, "SUPPORT")
    assert s and _actor(s[0]["source"]) == ("Vladimir Putin", "RUS", "GOV")


def test_judging_an_act_accuses_its_author(code):
    recs = code("Britain sent a warship to Guyana. Caracas called the deployment a provocation.", "2023-12-25")
    assert ("ACCUSE", "VEN", "GBR") in dyads(recs)
    assert not [r for r in recs if r["event_type"] == "MOBILIZE" and r["source"]["country"] == "VEN"]


def test_a_declared_truce_is_a_concession_and_initialling_an_accord_is_signing_it(code):
    assert [r["event_type"] for r in code("The government in Addis Ababa declared a unilateral ceasefire.",
                                          "2021-06-29")] == ["CONCEDE"]
    got = dyads(code("Aliyev and Pashinyan initialled a peace agreement in Washington.", "2025-08-09"))
    assert {("SUPPORT", "AZE", "ARM"), ("SUPPORT", "ARM", "AZE")} <= got


def test_a_participle_spelling_out_the_act_is_that_act(code):
    recs = code("China imposed sanctions on US defence firms and their executives, freezing their assets.",
                "2024-05-10")
    assert len(_one(recs, "SANCTION")) == 1
    assert _one(recs, "SANCTION")[0]["target"]["country"] == "USA"


def test_a_summit_attended_or_gathered_for_is_one_record_per_participant(code):
    recs = code("Modi attended the G20 summit in Rio de Janeiro.", "2024-11-18")
    assert [(r["event_type"], r["mode"], r["target"]) for r in recs] == [("CONSULT", "multilateral", None)]
    recs = code("Leaders of Brazil, India and South Africa gathered in Kazan for the BRICS summit.", "2024-10-22")
    assert {r["source"]["country"] for r in recs if r["event_type"] == "CONSULT"} == {"BRA", "IND", "ZAF"}


def test_the_owner_of_an_act_named_by_an_adjective_is_the_state(code):
    got = dyads(code("Tehran condemned the British deployment.", "2024-05-10"))
    assert ("ACCUSE", "IRN", "GBR") in got


def test_two_partners_of_one_participle_are_both_kept(code):
    got = dyads(code("Congo's army, fighting alongside Burundian troops and soldiers from a regional force, "
                     "said it had repelled an attack.", "2024-02-18"))
    assert {("COOPERATE", "COD", "BDI"), ("COOPERATE", "COD", "IGO")} <= got


def test_shows_of_force_and_listings(code):
    recs = code("North Korea test-fired two ballistic missiles into the sea off its east coast.", "2024-05-10")
    assert [(r["event_type"], r["mode"], r["target"]) for r in recs] == [("MOBILIZE", "weapons", None)]
    assert _one(code("The Pentagon put 8,500 troops on heightened alert.", "2022-01-24"), "MOBILIZE")
    assert not code("Beijing put the coastal region on alert for a typhoon.", "2024-05-10")
    assert ("SANCTION", "USA", "CHN") in dyads(code("Washington blacklisted three Chinese companies.", "2024-05-10"))
    censor = code("Mali's junta suspended the broadcasts of the French outlets RFI and France 24.", "2022-03-17")
    assert [(r["event_type"], r["mode"]) for r in censor][:1] == [("COERCE", "censor")]


def test_a_lowercase_direction_is_not_a_place(code):
    recs = code("Rebels shelled villages along the east coast of Lake Kivu.", "2024-05-10")
    assert all((r["location"] or {}).get("country") != "TZA" for r in recs)


def test_back_between_names_is_the_verb(code):
    got = dyads(code("The United Arab Emirates and Egypt back Haftar, diplomats say.", "2020-05-20"))
    assert {("SUPPORT", "ARE", "LBY"), ("SUPPORT", "EGY", "LBY")} <= got
    assert not code("The troops came back the next day.", "2020-05-20")


def test_discourse_on_an_unseen_civil_war(code):
    text = ("Army jets bombed rebel-held villages in Shan state on Sunday. Fighters of the Arakan Army "
            "shelled an army base. China urged both sides to halt the fighting and held a joint naval "
            "exercise with the Myanmar navy.")
    got = dyads(code(text, "2023-11-12"))
    assert ("ASSAULT", "MMR", "MMR") in got           # the base is Myanmar's, not China's
    assert {("REQUEST", "CHN", "MMR")} <= got          # "both sides": the parties just named
    assert {("COOPERATE", "CHN", "MMR"), ("COOPERATE", "MMR", "CHN")} <= got  # joint ... with X


def test_the_holder_of_a_place_is_the_target_and_the_junta_is_the_one_named(code):
    got = dyads(code("Israeli jets struck positions used by Hezbollah near Tyre.", "2024-09-12"))
    assert ("ASSAULT", "ISR", "LBN") in got
    recs = code("Niger's junta expelled the French ambassador. Mali backed Niger. The junta rejected the "
                "ultimatum.", "2023-08-26")
    rej = _one(recs, "REJECT")
    assert rej and rej[0]["source"]["country"] == "NER"


def test_vows_and_warnings_about_own_forces_target_the_enemy(code):
    got = dyads(code("Sisi warned that his army would intervene directly in Libya.", "2020-06-20"))
    assert ("THREATEN", "EGY", "LBY") in got and ("THREATEN", "EGY", "EGY") not in got


def test_an_attempted_attack_is_an_attack_and_any_attack_is_hypothetical(code):
    # protesters storming a building riot (PLOVER PROTEST/riot, CAMEO 145); an army storming attacks
    recs = code("Protesters tried to storm the embassy in Niamey.", "2023-07-30")
    got = _one(recs, "PROTEST")
    assert got and got[0]["mode"] == "riot" and not got[0]["modality"]["negated"]
    recs = code("Soldiers tried to storm the rebel base near Agadez.", "2023-07-30")
    assert _one(recs, "ASSAULT") and not _one(recs, "ASSAULT")[0]["modality"]["negated"]
    recs = code("Mali said any attack on Niger would be treated as a declaration of war.", "2023-08-01")
    assert all(r["modality"]["hypothetical"] for r in _one(recs, "ASSAULT"))
    assert not _one(code("The soldiers who seized power in Niger spoke on television.", "2023-07-27"), "COERCE")


def test_accused_of_an_act_with_of_hung_on_the_accused(code):
    recs = code("The junta accused the Arakan Army of attacking civilians.", "2023-11-12")
    attack = _one(recs, "ASSAULT")
    assert attack and attack[0]["source"]["name"] == "Arakan Army"


def test_sending_a_delegation_is_a_visit(code):
    got = dyads(code("Mali and Burkina Faso sent a joint delegation to Niamey on Thursday.", "2023-08-07"))
    assert {("CONSULT", "MLI", "NER"), ("CONSULT", "BFA", "NER")} <= got


def test_occupations_and_walkouts(code):
    assert _one(code("Students occupied the main building of Dhaka University in protest against the quota.",
                     "2024-07-15"), "PROTEST")
    assert [(r["event_type"], r["mode"]) for r in code("Nurses walked out of hospitals across Kenya over pay.",
                                                       "2024-05-10")] == [("PROTEST", "strike")]
    assert ("ASSAULT", "RUS", "UKR") in dyads(code("Russian forces occupied the town of Kupiansk.", "2022-03-01"))
    assert not code("The delegation walked out of the talks.", "2024-05-10")


def test_review_traps_give_no_false_events(code):
    """Ordinary sentences that this session's rules once misread (found in review)."""
    for text in ("Three Nigerian soldiers died in an ambush in Borno state.",
                 "Government troops fled the town after a rebel offensive.",
                 "Israel is seeking to strike Iran's nuclear sites.",
                 "Russia is trying to seize Kharkiv.",
                 "Ukraine pushed Russia back a few kilometres.",
                 "Ukrainian troops drove Russia back the next day."):
        wrong = [(r["event_type"], (r["source"] or {}).get("country")) for r in code(text, "2024-05-01")
                 if not r["modality"]["hypothetical"]]
        assert wrong == [], (text, wrong)
    recs = code("The EU rejected a proposal imposing tariffs on China.", "2024-05-01")
    assert not _one(recs, "SANCTION")  # the proposal's content is no sanction
    recs = code("Russia shelled Kharkiv, striking a hospital in Sumy as well.", "2024-05-01")
    assert len(_one(recs, "ASSAULT")) == 2  # another target is another attack
    recs = code("Israel declared the ceasefire over and resumed strikes on Gaza.", "2024-05-01")
    assert [r["event_type"] for r in recs] == ["ASSAULT"]


def test_lemma_repair_leaves_real_verbs_alone():
    from allegiance.nlp import load_nlp

    doc = load_nlp()("Many voters resent the new tax. Engineers relay the signal. Prices rebound quickly.")
    assert {t.text: t.lemma_ for t in doc if t.pos_ == "VERB"}.get("resent") in ("resent", None)
    assert all(t.lemma_ not in ("resend", "relie", "rebind") for t in doc)


def test_a_passive_participle_on_its_noun_is_done_to_that_noun(code):
    """'X, accused by Y of ...' and 'X, arrested by Y' (a reduced relative clause): Y acts, X
    undergoes, as in the full passive 'X was accused by Y'."""
    recs = code("Belarus, accused by Lithuania of pushing migrants across the border, summoned its envoy.",
                "2021-08-02")
    assert ("ACCUSE", "LTU", "BLR") in dyads(_one(recs, "ACCUSE"))
    assert not [r for r in _one(recs, "ACCUSE") if r["mode"] == "allege" and (r["source"] or {}).get("country") == "BLR"]
    recs = code("The villages, shelled by Azerbaijani artillery overnight, were evacuated.", "2020-10-02")
    assert [(r["source"] or {}).get("country") for r in _one(recs, "ASSAULT")] == ["AZE"]


def test_an_arrest_on_charges_accuses_the_detainee_in_the_passive_too(code):
    recs = code("Two Danish reporters were detained by Egyptian police on charges of spying.", "2021-04-02")
    assert ("ACCUSE", "EGY", "DNK") in dyads(recs)
    recs = code("Egyptian police detained two Danish reporters on charges of spying.", "2021-04-02")
    assert ("ACCUSE", "EGY", "DNK") in dyads(recs)


def test_a_group_backed_by_a_state_is_not_that_state(code):
    """'rebels backed by Turkey' may be anyone's but Turkey's; 'armed and funded by X' describes
    the group (no AID record), as 'a militia backed by X' does."""
    recs = code("The rebels, backed by Turkey, seized the town of Kafr Nabl on Sunday.", "2016-08-01")
    assert recs and all((r["source"] or {}).get("country") != "TUR" for r in recs)
    recs = code("The militia, armed and funded by Tehran, shelled the town of Kafr Nabl.", "2016-08-01")
    assert not _one(recs, "AID")
    assert all((r["source"] or {}).get("country") != "IRN" for r in recs)


def test_those_who_follow_suit_do_the_same_to_the_same_party(code):
    got = dyads(code("Lithuania expelled two Belarusian diplomats, and Latvia followed suit on Monday.", "2021-08-02"))
    assert {("SANCTION", "LTU", "BLR"), ("SANCTION", "LVA", "BLR")} <= got
    got = dyads(code("Argentina recognised the new government in La Paz. Chile and Peru followed within hours.",
                     "2019-11-14"))
    assert ("SUPPORT", "CHL", "BOL") in got and ("SUPPORT", "PER", "BOL") in got
    assert not [r for r in code("Police followed the protesters into the square.", "2019-11-14")]


def test_within_hours_in_the_past_tense_is_no_future(code):
    recs = code("Moldova expelled the Russian ambassador within hours.", "2022-02-25")
    assert [r["modality"]["future"] for r in _one(recs, "SANCTION")] == [False]
    recs = code("Moldova will expel the Russian ambassador within days.", "2022-02-25")
    assert all(r["modality"]["future"] for r in recs)


def test_an_actor_object_of_an_aid_verb_is_its_recipient(code):
    """'armed the Houthis', 'funded Hamas', 'would protect X': the object is who receives; a thing
    delivered is not, nor a place that shelters people."""
    assert ("AID", "IRN", "YEM") in dyads(code("Iran armed the Houthis with drones and missiles.", "2019-09-20"))
    assert ("AID", "QAT", "PSE") in dyads(code("Qatar funded Hamas for years.", "2019-09-20"))
    got = dyads(code("Germany delivered its first Patriot air defence system to Ukraine.", "2023-04-20"))
    assert ("AID", "DEU", "UKR") in got and ("AID", "DEU", "DEU") not in got
    recs = code("Estonia said it would protect the Belarusian opposition leader.", "2020-08-12")
    assert ("AGREE", "EST", "BLR") in dyads(recs)  # a promise of aid is an AGREE
    assert not _one(code("Shells hit a school sheltering displaced families in Kharkiv.", "2023-04-20"), "AID")


def test_foreign_forces_are_not_the_home_state(code):
    recs = code("Riot police fired tear gas at protesters in Minsk. "
                "Lukashenko accused foreign forces of orchestrating the protests.", "2020-08-11")
    accused = [r["target"] for r in _one(recs, "ACCUSE")]
    assert accused and all((t or {}).get("country") != "BLR" for t in accused)


def test_taking_control_of_a_place_by_force_is_an_assault(code):
    assert ("ASSAULT", "COD", "COD") in dyads(code("M23 rebels took control of the airport in Goma.", "2025-01-29"))
    assert ("ASSAULT", None, "IMG") in dyads(code("The army regained control of the town from Islamic State.",
                                                   "2017-07-10")) or \
        any(r["target"] and r["target"]["country"] == "IMG" for r in code(
            "The army regained control of the town from Islamic State.", "2017-07-10"))
    assert not code("The ruling party took control of parliament after the vote.", "2017-07-10")


def test_who_will_pay_or_regret_is_the_one_threatened(code):
    assert ("THREATEN", "PRK", "USA") in dyads(code(
        "Pyongyang rejected the resolution and vowed that the United States would pay for it.", "2017-08-10"))
    assert ("THREATEN", "IRN", "ISR") in dyads(code("Iran warned that Israel would regret any attack on its soil.",
                                                    "2017-08-10"))


def test_legal_action_announced_is_a_threat_and_taken_an_accusation(code):
    """'would challenge the result in court' / 'will appeal' (the gold's THREATEN of legal action);
    'challenged the result' and 'appealed against the sentence' contest it (ACCUSE); 'appealed for
    calm' still asks."""
    got = dyads(code("Kenya's opposition leader Raila Odinga said he would challenge the election result "
                     "at the Supreme Court.", "2017-08-11"))
    assert ("THREATEN", "KEN", "KEN") in got
    assert ("ACCUSE", "KEN", "KEN") in dyads(code("Odinga challenged the result at the Supreme Court.", "2017-08-20"))
    assert [r["event_type"] for r in code("Zimbabwe appealed to the UN for food aid.", "2017-08-20")] == ["REQUEST"]


def test_giving_back_and_giving_up_concede(code):
    """Restoring what a crackdown cut, suspending one's own strike, giving up a bid: CONCEDE;
    giving up weapons disarms; suspending aid still sanctions."""
    def types(text):
        return [r["event_type"] for r in code(text, "2019-01-20")]
    assert types("Zimbabwe restored internet access on Thursday.") == ["CONCEDE"]
    assert types("Zimbabwe's main union suspended the strike after talks with the government.") == ["CONCEDE"]
    assert types("Juan Guaido said he was giving up his bid for the presidency.") == ["CONCEDE"]
    assert [(r["event_type"], r["mode"]) for r in code("The FARC agreed to give up their weapons.", "2016-06-23")] \
        == [("RETREAT", "disarm")]
    assert types("The EU suspended budget support to Ethiopia.") == ["SANCTION"]


def test_readiness_patrols_and_manned_checkpoints_mobilise(code):
    def got(text):
        return [(r["event_type"], r["mode"], (r["source"] or {}).get("country")) for r in code(text, "2021-11-10")]
    assert got("Latvian troops had been put on heightened alert.") == [("MOBILIZE", "troops", "LVA")]
    assert got("Latvia said it had raised the readiness of its forces.") == [("MOBILIZE", "troops", "LVA")]
    assert got("Zimbabwean soldiers manned checkpoints outside the Parliament Building in Harare.") == \
        [("MOBILIZE", "troops", "ZWE")]
    assert got("Spain will send a further 1,000 police officers to Catalonia on Saturday.") == \
        [("MOBILIZE", "police", "ESP")]
    assert got("The company put its plans on hold.") == []


def test_refuge_in_an_embassy_is_asylum_from_its_state(code):
    recs = code("Opposition leader Leopoldo Lopez took refuge in the Spanish ambassador's residence in Caracas.",
                "2019-05-01")
    assert [(r["event_type"], r["source"]["country"], r["target"]["name"], r["cameo"]) for r in recs] == \
        [("AID", "ESP", "Leopoldo Lopez", "075")]
    assert not code("Thousands of villagers took refuge in a church near Goma.", "2019-05-01")


def test_protesters_lifting_roadblocks_pull_back_and_handing_in_arms_disarms(code):
    def got(text):
        return [(r["event_type"], r["mode"]) for r in code(text, "2019-11-20")]
    assert got("Striking Bolivian miners lifted their roadblocks on the highway to Oruro on Friday.") == \
        [("RETREAT", "withdraw")]
    assert got("The Bolivian government lifted the ban on fuel exports.") == [("CONCEDE", None)]
    assert got("About 300 Kazakh protesters have handed in firearms to the police.") == [("RETREAT", "disarm")]


def test_what_a_speaker_calls_scandalous_or_a_kidnapping_is_disapproval_of_its_author(code):
    # the judgment, not a fixed list of six words, makes "call X Y" an accusation; the act judged
    # ("the arrests", "the diversion") points back at whoever did it
    recs = code("Spanish police arrested nine separatist activists in raids across Catalonia on Monday. "
                "The regional president called the arrests an attempt to criminalise the movement.", "2019-09-24")
    assert ("ACCUSE", "ESP", "ESP") in dyads(recs)
    acc = _one(recs, "ACCUSE")
    assert acc and acc[0]["target"]["sector"] == "COP"
    recs = code("Belarus forced a Lithuanian airliner to land in Minsk on Sunday and detained a dissident "
                "journalist on board. In Washington, the US president called the diversion outrageous.", "2021-05-24")
    assert ("ACCUSE", "USA", "BLR") in dyads(recs)
    recs = code("Russia's foreign ministry called Blinken's remarks offensive.", "2022-01-08")
    assert dyads(recs) == {("ACCUSE", "RUS", "USA")}   # whose remarks
    recs = code("Moscow called Britain's decision hostile.", "2022-01-08")
    assert dyads(recs) == {("ACCUSE", "RUS", "GBR")}
    # a call about a grim topic is a call, not a judgment; a judged thing of no act points nowhere
    recs = code("Biden called Zelensky on Tuesday after the massacre in Bucha.", "2022-04-05")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("CONSULT", "phone")] * 2  # a call is mirrored
    recs = code("Macron called Putin on Friday about the threat to Ukraine.", "2022-02-12")
    assert not _one(recs, "ACCUSE")
    recs = code("Russian troops shelled Kharkiv on Monday. In Nairobi, Kenya's opposition leader called the "
                "new legislation unconstitutional.", "2022-03-08")
    acc = _one(recs, "ACCUSE")
    assert acc and acc[0]["target"] is None  # not the troops of an unrelated act


def test_an_act_done_by_way_of_a_reply_shares_the_replys_time_and_speaker(code):
    # "would answer by expelling": the expulsion is announced, so a threat; "responded by shelling"
    # in a report is the reporter's claim, and a past reply stays a fact
    recs = code("Peru said on Friday it would answer in kind by expelling Bolivia's ambassador.", "2021-03-05")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("THREATEN", "restrict")]
    recs = code("Peru answered on Friday by expelling Bolivia's ambassador.", "2021-03-05")
    assert [(r["event_type"], r["modality"]["future"]) for r in recs] == [("SANCTION", False)]
    recs = code("The army said its forces had responded by shelling the village on Monday.", "2021-03-05")
    shelling = _one(recs, "ASSAULT")
    assert shelling and shelling[0]["attribution"]["speaker"] == "The army"


def test_asking_an_ambassador_to_leave_is_an_expulsion(code):
    recs = code("Belarus asked the Polish ambassador to leave the country on Tuesday.", "2021-06-30")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("SANCTION", "expel")]
    assert dyads(recs) == {("SANCTION", "BLR", "POL")}
    recs = code("The Belarusian foreign minister asked the Polish ambassador to convey a message to Warsaw.", "2021-06-30")
    assert not _one(recs, "SANCTION")


def test_people_counted_are_civilians_and_an_accident_toll_is_no_attack(code):
    # "detained three men", "killed two people": civilians of the story's country, as coded by hand
    recs = code("Police detained three men in Minsk on Sunday.", "2020-08-10")
    assert dyads(recs) == {("COERCE", "BLR", "BLR")}
    assert _one(recs, "COERCE")[0]["target"]["sector"] == "CVL"
    recs = code("Gunmen killed two people at a market in Maiduguri on Friday.", "2021-02-05")
    assert ("ASSAULT", "NGA", "NGA") in dyads(recs)
    assert _one(recs, "ASSAULT")[0]["target"]["sector"] == "CVL"
    # someone's own men are theirs, not civilians
    recs = code("Hezbollah said its men attacked an Israeli patrol near the border on Monday.", "2023-10-09")
    assert _actor(_one(recs, "ASSAULT")[0]["source"]) == ("Hezbollah", "LBN", "REB")
    # but vehicles that crash kill no one by intent, even when the parser hangs the toll on the vehicle
    for text in ("A truck carrying migrants overturned in Chiapas on Thursday, killing 49 people.",
                 "A bus collided with a fuel tanker near Qom on Tuesday, killing 28 people."):
        assert not _one(code(text, "2021-12-10"), "ASSAULT"), text
    # a bomber who crashes a vehicle into a target attacks
    for text in ("A suicide bomber crashed his car into a checkpoint in Kabul on Monday, killing 12 policemen.",
                 "Al-Shabaab militants crashed a truck bomb into an army base in Mogadishu, killing 20 soldiers."):
        assert _one(code(text, "2021-12-10"), "ASSAULT"), text


def test_a_prison_sentence_is_a_conviction_and_a_detention(code):
    # PLOVER codes the verdict (SANCTION/convict) and the imprisonment (COERCE/arrest) apart
    recs = code("A court in Minsk sentenced the journalist Katsiaryna Andreyeva to two years in prison on Thursday.",
                "2021-02-18")
    assert dyads(recs) == {("SANCTION", "BLR", "BLR"), ("COERCE", "BLR", "BLR")}
    assert [r["mode"] for r in _one(recs, "SANCTION")] == ["convict"]
    # a verdict named on its own is the conviction: the sentence adds the detention only
    recs = code("A court in Kyiv found a Russian tank commander guilty of killing a civilian and sentenced him "
                "to life in prison.", "2022-05-23")
    assert [(r["evidence"]["trigger"], r["source"]["country"], r["target"]["country"])
            for r in _one(recs, "SANCTION")] == [("found", "UKR", "RUS")]
    assert ("COERCE", "UKR", "RUS") in dyads(recs)
    # finding bodies or evidence is no verdict
    for text in ("Investigators found the bodies of three soldiers near the border on Monday.",
                 "The electoral commission found no evidence of fraud in the vote."):
        assert not _one(code(text, "2022-05-23"), "SANCTION"), text
    # an acquittal is no conviction
    assert not _one(code("A court in Dhaka found the opposition leader not guilty of corruption.", "2022-05-23"), "SANCTION")


def test_ruling_out_an_act_rejects_it_and_not_ruling_it_out_threatens_it(code):
    recs = code("The government has ruled out talks with the M23 rebels.", "2023-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("REJECT", "meet")]
    # the act ruled out is not coded as done
    recs = code("Germany ruled out sending tanks to Ukraine on Monday.", "2022-04-05")
    assert [r["event_type"] for r in recs] == ["REJECT"]
    # not ruling it out, refusing or declining to: a threat, its mode from what is not ruled out
    for text, mode in (("Turkey has not ruled out a cross-border operation against Kurdish fighters.", "violence"),
                       ("The president refused to rule out military force to take the canal.", "violence"),
                       ("President Biden declined to rule out new sanctions on Russia.", "restrict")):
        recs = code(text, "2022-04-05")
        assert [(r["event_type"], r["mode"], r["modality"]["negated"]) for r in recs] == [("THREATEN", mode, False)], text
    assert dyads(code("President Biden declined to rule out new sanctions on Russia.", "2022-04-05")) == \
        {("THREATEN", "USA", "RUS")}
    # a gerund after its verb is its object clause only there: a casualty clause stays an attack
    assert _one(code("Rebels shelled the town on Monday, killing five soldiers.", "2022-04-05"), "ASSAULT")
    # ruling out a cause is a judgment, no refusal
    assert not code("German police ruled out terrorism as a motive for the attack in Hamburg.", "2022-04-05")


def test_a_clause_of_its_own_is_outside_the_failure_or_denial_above_it(code):
    # "failed to agree ... after Cyprus blocked the package": the blocking happened
    recs = code("EU foreign ministers failed on Monday to agree sanctions on Belarusian officials after "
                "Cyprus blocked the package.", "2020-09-21")
    rej = _one(recs, "REJECT")
    assert rej and rej[0]["source"]["country"] == "CYP" and not rej[0]["modality"]["negated"]
    assert all(r["modality"]["negated"] for r in _one(recs, "SANCTION"))  # the sanctions were not agreed
    recs = code("The ministry denied that troops had fired on protesters when they stormed the building.",
                "2020-09-21")
    assert [(r["evidence"]["trigger"], r["modality"]["negated"]) for r in recs] == [("fired", True), ("stormed", False)]
    # the denied clause itself stays denied
    recs = code("Russia denied that its jets had bombed the hospital.", "2020-09-21")
    assert [r["modality"]["negated"] for r in _one(recs, "ASSAULT")] == [True]


def test_a_counted_group_named_member_by_member_is_those_people(code):
    # "two journalists ..., A and B": one record per person named, as many as counted
    recs = code("Police in Minsk detained two journalists from the Poland-based Belsat TV channel, "
                "Katsiaryna Andreyeva and Darya Chultsova, on Sunday.", "2020-11-15")
    got = [(r["target"]["name"], r["target"]["country"]) for r in _one(recs, "COERCE")]
    assert got == [("Katsiaryna Andreyeva", "BLR"), ("Darya Chultsova", "BLR")]
    recs = code("Russia's FSB said it had detained two Belarusian citizens in Moscow, the lawyer Yury Zenkovich "
                "and the political analyst Alexander Feduta.", "2021-04-17")
    assert [r["target"]["name"] for r in _one(recs, "COERCE")] == ["Yury Zenkovich", "Alexander Feduta"]
    # a count the names do not match, or no names: the group stays an actor of its own
    for text in ("Police in Minsk detained three journalists, Katsiaryna Andreyeva and Darya Chultsova, on Sunday.",
                 "Police in Minsk detained two journalists on Sunday."):
        assert [r["target"]["text"] for r in _one(code(text, "2020-11-15"), "COERCE")][0].endswith("journalists"), text
    # names that speak ("..., governor X and mayor Y said") are no members of the group
    recs = code("Russian shelling killed two civilians in Kherson, regional governor Oleksandr Prokudin and mayor "
                "Roman Mrochko said.", "2023-01-13")
    assert all(r["target"]["name"] != "Roman Mrochko" for r in recs if r["target"])


def test_a_conjoined_verb_with_a_tense_of_its_own_keeps_it(code):
    # "would not support X but backed Y": the backing happened, it is no promise (AGREE)
    recs = code("Macri told reporters Argentina would not support military action but backed Washington's push "
                "for tougher sanctions.", "2019-02-13")
    assert ("SUPPORT", "ARG", "USA") in dyads(recs)
    assert not _one(recs, "AGREE")
    # a shared auxiliary still carries: "will meet ... and discuss" are both ahead
    recs = code("Iran said it would send troops and supply weapons to Syria.", "2019-02-13")
    assert all(r["modality"]["future"] for r in recs) and recs


def test_a_mission_or_delegation_told_to_leave_is_expelled(code):
    for text, pair in (("Belarus asked the head of the European Union's delegation to leave the country on Tuesday.",
                        ("SANCTION", "BLR", "EUR")),
                       ("Mali ordered the UN mission to leave the country within days.", ("SANCTION", "MLI", "UNO"))):
        recs = code(text, "2021-06-29")
        assert pair in dyads(recs) and [r["mode"] for r in _one(recs, "SANCTION")] == ["expel"], text


def test_searching_or_raiding_homes_and_offices_is_a_seizure_and_a_military_raid_an_attack(code):
    for text in ("Police searched the homes of at least 40 journalists in Gomel on Tuesday.",
                 "Police raided the offices of an independent newspaper in Minsk on Tuesday."):
        recs = code(text, "2020-09-29")
        assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "seize")], text
        assert dyads(recs) == {("COERCE", "BLR", "BLR")}
    recs = code("Israeli troops raided the Jenin refugee camp on Monday.", "2023-07-03")
    assert [r["event_type"] for r in recs] == ["ASSAULT"]
    recs = code("A night raid by US special forces in northern Syria killed an Islamic State leader.", "2023-07-03")
    assert "COERCE" not in {r["event_type"] for r in recs} and _one(recs, "ASSAULT")
    # rescuers searching homes seize nothing
    assert not code("Rescue workers searched the flooded homes in Derna for survivors.", "2023-09-12")
    assert not code("Rescue teams searched the rubble for survivors in Gaziantep.", "2023-02-07")


def test_members_of_someones_circle_are_that_sides(code):
    recs = code("Britain and Canada imposed sanctions on Alexander Lukashenko and seven members of his inner circle "
                "on Tuesday.", "2020-09-29")
    targets = [(r["source"]["country"], r["target"]["name"], r["target"]["country"]) for r in _one(recs, "SANCTION")]
    assert ("GBR", None, "BLR") in targets and ("CAN", "Alexander Lukashenko", "BLR") in targets
    assert len(targets) == 4
    recs = code("The United States sanctioned two associates of Viktor Orban on Friday.", "2023-01-13")
    assert dyads(recs) == {("SANCTION", "USA", "HUN")} and _one(recs, "SANCTION")[0]["target"]["name"] is None
    # allies of a state are other parties, not that state
    recs = code("Allies of Ukraine pledged more air defence systems at Ramstein on Friday.", "2023-01-20")
    assert all((r["source"] or {}).get("country") != "UKR" for r in recs)


def test_sitting_down_with_someone_is_a_meeting_and_refusing_to_a_rejection(code):
    recs = code("Prime Minister Pedro Sanchez said he would not sit down with the separatists.", "2019-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("REJECT", "meet")]
    recs = code("Russia and Ukraine will sit down together in Istanbul next week.", "2022-03-25")
    assert {("AGREE", "RUS", "UKR"), ("AGREE", "UKR", "RUS")} <= dyads(recs)
    # sitting down with a news outlet is an interview
    assert not code("Netanyahu sat down with Fox News for an interview on Sunday.", "2023-01-13")
    assert not code("The crowd sat down in the road outside parliament in Madrid.", "2019-03-01")


def test_a_hostile_act_announced_on_anothers_condition_is_a_threat_and_a_friendly_one_an_offer(code):
    recs = code("Spain's main unions said they would call a general strike if the Supreme Court convicts the leaders.",
                "2019-09-12")
    assert [(r["event_type"], r["mode"]) for r in recs if not r["modality"]["hypothetical"]] == [("THREATEN", "restrict")]
    recs = code("The EU said it would resume aid to Mali if the junta holds elections.", "2021-06-01")
    assert not _one(recs, "THREATEN")
    recs = code("Kenya said it would send 1,000 police officers to Haiti if the Security Council approves the "
                "mission.", "2023-07-30")
    assert not _one(recs, "THREATEN")
    # a third party's forecast is no threat
    recs = code("Analysts said government forces could attack Idlib province if they take the Hama towns.", "2015-10-08")
    assert not _one(recs, "THREATEN") and _one(recs, "ASSAULT")


def test_crowds_forming_chains_and_barricades_protest_and_lifting_a_veto_concedes(code):
    for text, want in (("Thousands of Belarusians formed a human chain along the avenue in Minsk on Sunday.", ("PROTEST", "demo")),
                       ("Protesters built barricades across the main road in Caracas.", ("PROTEST", "obstruct")),
                       ("Lithuania lifted its veto on the sanctions package on Friday.", ("CONCEDE", None)),
                       ("The Kazakh government reversed the fuel price rise on Tuesday.", ("CONCEDE", None))):
        assert [(r["event_type"], r["mode"]) for r in code(text, "2020-08-23")] == [want], text
    # police lines and new alliances are no protest
    for text in ("Police erected barricades around the parliament in Caracas.",
                 "Residents put up barricades to keep the floodwaters out in Porto Alegre.",
                 "The opposition formed a new alliance in Caracas on Monday."):
        assert not code(text, "2020-08-23"), text


def test_closing_a_frontier_against_a_state_cuts_ties_and_closing_places_restricts(code):
    recs = code("Lithuania closed its border with Belarus on Friday.", "2021-06-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("SANCTION", "discontinue")]
    assert dyads(recs) == {("SANCTION", "LTU", "BLR")}
    # the parser may hang the party on the border: still a state, still a sanction
    assert dyads(code("Poland closed its border with Belarus on Friday.", "2021-06-01")) == {("SANCTION", "POL", "BLR")}
    # closed to people, not to a state: a restriction
    for text in ("Hungary shut its border to migrants on Tuesday.", "Chad closed its border to Sudanese refugees."):
        assert [(r["event_type"], r["mode"]) for r in code(text, "2021-06-01")] == [("COERCE", "restrict")], text
    for text in ("Israel closed the crossing on Sunday.", "The government closed schools and universities in Minsk."):
        assert [(r["event_type"], r["mode"]) for r in code(text, "2021-06-01")] == [("COERCE", "restrict")], text
    for text in ("Officials closed the meeting with a joint statement in Vilnius.", "Markets closed higher in Tokyo on Friday."):
        assert not code(text, "2021-06-01"), text


def test_a_person_handed_over_to_another_state_is_cooperation(code):
    recs = code("Kenya handed him over to Ugandan police on Tuesday.", "2021-06-01")
    assert dyads(recs) == {("COOPERATE", "KEN", "UGA")}
    assert recs[0]["evidence"]["trigger"] == "handed"  # the object between verb and particle is no trigger
    recs = code("The rebels handed over their rifles to UN monitors on Monday.", "2021-06-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("RETREAT", "disarm")]


def test_what_an_event_prompted_happened_and_what_was_urged_did_not(code):
    recs = code("Two Russian bombers landed near Caracas on Monday, prompting Secretary of State Mike Pompeo to "
                "denounce the Venezuelan government.", "2018-12-11")
    assert dyads(recs) == {("ACCUSE", "USA", "VEN")}
    recs = code("Russia urged Ukraine to withdraw its troops from the border.", "2018-12-11")
    assert [r["event_type"] for r in recs] == ["REQUEST"]


def test_an_attempted_march_is_a_protest_and_an_attempted_talk_no_meeting(code):
    recs = code("Thousands of farmers on tractors tried to march on New Delhi on Tuesday.", "2024-02-13")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("PROTEST", "demo")]
    assert not code("The government tried to negotiate with the rebels in Juba.", "2024-02-13")


def test_legal_complaints_frozen_participation_lifted_orders_and_challenged_measures(code):
    recs = code("Georgia's ruling party filed a complaint against the president at the Constitutional Court.", "2023-08-05")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("ACCUSE", "allege")]
    assert not code("Residents in Tbilisi voiced complaints about the noise.", "2023-08-05")
    for text, want in (("Niger's junta has frozen its participation in the regional bloc.", ("SANCTION", "discontinue")),
                       ("The court in Dhaka lifted the order on Monday.", ("CONCEDE", None))):
        assert [(r["event_type"], r["mode"]) for r in code(text, "2023-08-05")] == [want], text
    recs = code("China said it would challenge the US measures at the World Trade Organization.", "2023-08-05")
    assert dyads(recs) == {("THREATEN", "CHN", "USA")}


def test_dismissing_an_official_expels_and_sealing_a_frontier_restricts(code):
    recs = code("President Zelensky fired the head of the SBU, Ivan Bakanov, on Sunday.", "2022-07-17")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("SANCTION", "expel")]
    assert dyads(recs) == {("SANCTION", "UKR", "UKR")}  # one's own official is the target
    assert [(r["event_type"], r["mode"]) for r in code("Putin dismissed the defence minister on Friday.", "2022-07-17")] \
        == [("SANCTION", "expel")]
    # firing weapons, dismissing claims, removing rubble are no dismissals
    for text, etype in (("The army fired missiles at the town of Kupiansk.", "ASSAULT"),
                        ("Police fired tear gas at students in Nairobi.", "ASSAULT")):
        assert [r["event_type"] for r in code(text, "2022-07-17")] == [etype], text
    # the object itself is the official: not a possessor ("the commander's claims", "the governor's
    # residence"), not a thing named after one, not a firm's layoffs
    for text in ("Rebels sacked the governor's residence in Goma.", "Protesters removed the statue of General Lee in Richmond.",
                 "Amazon fired dozens of workers at its warehouse in Alabama."):
        assert not _one(code(text, "2022-07-17"), "SANCTION"), text
    # dismissing claims, even "as propaganda", rejects them (WRITING.md: "X rejected the accusation"
    # is REJECT; the corpus codes "dismissed the claim as propaganda" so)
    recs = code("Moscow dismissed the Ukrainian commander's claims as propaganda.", "2022-07-17")
    assert [r["event_type"] for r in recs] == ["REJECT"]
    recs = code("Venezuela's military sealed the Tienditas bridge with containers on Friday.", "2019-02-22")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "restrict")]
    recs = code("Indian police sealed off the area around the mosque in Ayodhya on Sunday.", "2019-11-10")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "restrict")]
    assert "COERCE" not in {r["event_type"] for r in code("Qatar and Egypt sealed the deal in Doha on Friday.", "2019-02-22")}


def test_immunity_granted_concedes_and_an_accepted_resignation_is_no_agreement(code):
    recs = code("Mnangagwa's government granted Mugabe immunity from prosecution.", "2017-12-01")
    assert [(r["event_type"], r["target"]["name"]) for r in recs] == [("CONCEDE", "Robert Mugabe")]
    recs = code("Tokayev accepted the resignation of his government on Wednesday.", "2022-01-05")
    assert not _one(recs, "AGREE")


def test_what_a_speaker_says_another_should_or_must_do_is_a_demand(code):
    recs = code("The Polish minister said Lukashenko should resign.", "2021-06-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("REQUEST", "yield")]
    assert dyads(recs) == {("REQUEST", "POL", "BLR")}
    recs = code("Macron told Putin that Russia must withdraw its troops from Ukraine.", "2022-02-08")
    assert dyads(recs) == {("REQUEST", "FRA", "RUS")}  # the withdrawal is demanded, not reported
    for text in ("The Polish minister said Lukashenko should not resign.",
                 "Zelensky said Ukraine must defend itself against Russian aggression."):  # resolve, no demand
        assert not _one(code(text, "2021-06-01"), "REQUEST"), text
    # a guess about the past is no demand, and what is guessed stays reported
    recs = code("Officials in Kyiv said Russian forces must have fired the missile from Belgorod.", "2023-06-20")
    assert not _one(recs, "REQUEST") and _one(recs, "ASSAULT")


def test_branding_labelling_or_describing_another_as_wrongdoing_is_disapproval(code):
    for text in ("Lukashenko branded the protesters foreign-funded provocateurs on Monday.",
                 "Minsk labelled the opposition council an illegal body.",
                 "The Kremlin described the EU sanctions as an act of economic warfare."):
        recs = code(text, "2020-08-20")
        assert ("ACCUSE", "disapprove") in [(r["event_type"], r["mode"]) for r in recs], text
    # the judgment must be what the object is called, not a word of the object
    for text in ("The Mexican government described the fight against organised crime as its top priority.",
                 "Biden branded the war against terrorism a costly mistake."):
        assert not _one(code(text, "2020-08-20"), "ACCUSE"), text


def test_a_condition_stated_of_no_party_is_no_demand(code):
    recs = code("Zelensky turned down Putin's invitation to hold talks in Moscow, saying any meeting between the two "
                "leaders must take place on neutral ground.", "2022-03-04")
    assert not _one(recs, "REQUEST")


def test_a_sense_that_needs_its_particle_applies_only_with_it(code):
    # "shot down" is an aerial attack; "shot in the leg" is gunfire; "cracked the code" is no crackdown
    recs = code("Riot police shot a student in the leg outside the university in Minsk.", "2020-08-12")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("ASSAULT", "firearms")]
    recs = code("Ukrainian air defences shot down a Russian drone over Odesa.", "2022-10-12")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("ASSAULT", "aerial")]
    assert not code("Kenyan police cracked the smuggling ring's code after a month.", "2020-08-12")
    # handing prisoners or suspects to someone needs no "over"
    recs = code("The rebels handed the prisoners to the Red Cross.", "2022-10-12")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("RETREAT", "release")]


def test_a_joint_operation_against_no_one_named_is_the_partners_cooperation_alone(code):
    recs = code("Kenyan and Ugandan police carried out a joint operation along the border over the weekend.",
                "2021-03-09")
    assert {r["event_type"] for r in recs} == {"COOPERATE"}
    assert dyads(recs) == {("COOPERATE", "KEN", "UGA"), ("COOPERATE", "UGA", "KEN")}
    # a joint raid is a raid too; an operation of one force against another stays an attack
    recs = code("American and Iraqi commandos carried out a joint raid on an Islamic State hideout near Hawija.",
                "2021-03-09")
    assert {r["event_type"] for r in recs} == {"COOPERATE", "ASSAULT"}
    recs = code("The Nigerian army launched a military operation against Boko Haram fighters near Maiduguri.", "2021-03-09")
    assert [r["event_type"] for r in recs] == ["ASSAULT"]


def test_working_or_coordinating_with_another_force_is_cooperation(code):
    recs = code("French troops worked alongside Malian soldiers near Gao on Tuesday.", "2019-05-05")
    assert dyads(recs) == {("COOPERATE", "FRA", "MLI"), ("COOPERATE", "MLI", "FRA")}
    recs = code("Lithuanian border guards are working with Frontex officers at the frontier.", "2021-07-10")
    assert ("COOPERATE", "LTU", "EUR") in dyads(recs)
    recs = code("The Spanish interior ministry is coordinating with the Catalan police.", "2019-10-15")
    assert _one(recs, "COOPERATE")
    # announced, it is an agreement; working with things or people in a biography is none
    recs = code("The Kenyan government said it would work with the African Union on the crisis.", "2019-05-05")
    assert {r["event_type"] for r in recs} == {"AGREE"} and ("AGREE", "KEN", "IGO") in dyads(recs)
    for text in ("She has worked with refugees in Lebanon for a decade.",
                 "A Kenyan scientist worked with the World Health Organization on the vaccine for years.",
                 "The analysts worked with the data for hours.",
                 "The finance ministry is working on a new budget."):
        assert not code(text, "2019-05-05"), text


def test_workers_walking_off_the_job_strike(code):
    recs = code("Nurses at the main hospital in Harare walked off the job on Monday.", "2019-09-03")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("PROTEST", "strike")]
    recs = code("Thousands of miners walked off their shifts in Soligorsk on Tuesday.", "2020-08-18")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("PROTEST", "strike")]
    for text in ("The goalkeeper walked off the pitch injured in Harare.",
                 "The minister walked off the stage after his speech in Harare."):
        assert not code(text, "2019-09-03"), text


def test_going_after_or_moving_against_anothers_trade_or_allies_sanctions_it(code):
    recs = code("The US Treasury went after Russian banks on Friday.", "2022-03-04")
    assert dyads(recs) == {("SANCTION", "USA", "RUS")}
    recs = code("Diplomats said the EU could move against Iranian oil exports in the spring.", "2022-03-04")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("SANCTION", "discontinue")]
    # armed forces moving against a group attack it
    recs = code("The Lebanese army moved against the militants' positions near Arsal on Friday.", "2017-08-19")
    assert [r["event_type"] for r in recs] == ["ASSAULT"]
    # police after thieves, a lawmaker against a motion, a president after his critics: no sanction
    for text in ("Police went after the thieves in Nairobi.", "The senator moved against the motion in parliament.",
                 "The president went after his critics in a speech in Caracas."):
        assert not _one(code(text, "2022-03-04"), "SANCTION"), text


def test_a_coercive_measure_named_by_its_object_needs_no_victim(code):
    # the object is the measure itself: no "attack on a proposal" trap, no target needed
    for text, mode in (("Bolivia declared a state of emergency on Friday.", "martial-law"),
                       ("The Zimbabwean government shut down the internet on Tuesday.", "withhold"),
                       ("Russia blocked access to Facebook on Friday.", "censor")):
        recs = code(text, "2021-05-01")
        assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", mode)], text
    # a storm, a company or a referee is no coercer
    for text in ("Storms cut power across Texas on Monday.", "The referee blocked access to the pitch.",
                 "The bank declared a dividend on Friday."):
        assert not code(text, "2021-05-01"), text
    # the damage an attack does is no measure of its own
    recs = code("Russian forces fired missiles at power stations across Ukraine, cutting electricity to "
                "hundreds of villages.", "2022-10-11")
    assert "COERCE" not in {r["event_type"] for r in recs}


def test_approving_introducing_or_extending_a_state_of_emergency_imposes_it(code):
    recs = code("Latvia's parliament approved a state of emergency along the border on Tuesday.", "2021-08-10")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "martial-law")]
    recs = code("Poland extended the state of emergency in the border zone by sixty days.", "2021-09-30")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "martial-law")]
    recs = code("Kazakhstan's president introduced a nighttime curfew in Almaty.", "2022-01-05")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "curfew")]
    # extending sanctions or support is still that act; approving a budget is no support; extending a stay nothing
    recs = code("The EU extended its sanctions on Russia by six months.", "2021-09-30")
    assert [r["event_type"] for r in recs] == ["SANCTION"]
    for text in ("Latvia's parliament approved the budget on Tuesday.", "The Polish president extended his stay in Paris."):
        assert not code(text, "2021-09-30"), text


def test_stripping_someone_of_a_post_expels_and_of_immunity_or_a_licence_restricts(code):
    recs = code("Zimbabwe's ruling ZANU-PF stripped Robert Mugabe of the party leadership on Sunday.", "2017-11-19")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("SANCTION", "expel")]
    recs = code("Russia stripped the dissident Alexei Navalny of his citizenship.", "2021-05-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "restrict")]
    recs = code("Belarus's information ministry stripped the independent weekly Nasha Niva of its registration.", "2021-05-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "censor")]
    # a sports body, protesters or looters strip no one of office
    for text in ("The cycling federation stripped Lance Armstrong of his title after a doping test.",
                 "Protesters stripped the statue of its plaque in Caracas.",
                 "Looters stripped the shops bare in Harare."):
        assert not code(text, "2021-05-01"), text


def test_receiving_years_in_prison_is_a_conviction_and_a_detention(code):
    recs = code("The Bosnian Serb commander Dragoljub Kunarac got 28 years in prison.", "2001-02-22")
    assert sorted((r["event_type"], r["mode"]) for r in recs) == [("COERCE", "arrest"), ("SANCTION", "convict")]
    assert {r["target"]["name"] for r in recs} == {"Dragoljub Kunarac"}
    recs = code("The opposition leader Alexei Navalny received nine years in a penal colony.", "2022-03-22")
    assert sorted((r["event_type"], r["mode"]) for r in recs) == [("COERCE", "arrest"), ("SANCTION", "convict")]
    # the court that passed it is the source, the one sentenced the target
    recs = code("The deposed president got a 20-year sentence from a court in Dhaka.", "2024-03-22")
    assert {(r["source"]["sector"], r["target"]["sector"]) for r in recs} == {("JUD", "ELI")}
    # a suspended sentence is a conviction alone; funding, years of training, a term of office, a share of the
    # vote or a prize is no prison term
    recs = code("The opposition leader Alexei Navalny received a suspended sentence.", "2022-03-22")
    assert [(r["event_type"], r["mode"], r["target"]["name"]) for r in recs] == [("SANCTION", "convict", "Alexei Navalny")]
    for text in ("Manchester United received two years of funding from a Gulf sponsor.",
                 "The Russian general received two years of training in Moscow in the 1990s.",
                 "The Russian president received a second six-year term in the election.",
                 "The Russian opposition got 30 percent of the vote.",
                 "The activist Alexei Navalny received a prize for his work."):
        assert not code(text, "2022-03-22"), text


def test_round_three_look_alikes_code_nothing_or_another_act(code):
    """The review of the third round's classes: the measure is the object itself, a curfew is an
    authority's, walking out alone is no strike, a state arming a group is no disarmament, a joint
    operation where it happens has no opponent, coordinating alone is no cooperation."""
    for text in ("Japan extended an emergency credit line to Sri Lanka.",
                 "The school introduced a curfew for its students in Boston.",
                 "The pilot walked out of the cockpit in Dubai to greet the passengers.",
                 "Indian police coordinated their response to the flood in Assam."):
        assert not code(text, "2022-03-22"), text
    recs = code("The junta introduced martial law across the country.", "2021-02-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "martial-law")]
    recs = code("Iran handed weapons to the Houthi rebels in Yemen.", "2022-03-22")
    assert "RETREAT" not in {r["event_type"] for r in recs}
    recs = code("The rebels handed over their weapons to UN monitors in Bangui.", "2022-03-22")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("RETREAT", "disarm")]
    recs = code("Kenyan and Somali troops launched a joint operation in Lower Juba.", "2022-03-22")
    assert {r["event_type"] for r in recs} == {"COOPERATE"}
    recs = code("Police stripped the party office of its computers in Harare.", "2019-03-22")
    assert "SANCTION" not in {r["event_type"] for r in recs}
