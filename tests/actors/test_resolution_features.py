"""Resolution in context: appositions, acronyms defined in the text, office holders, coreference
and modifier rules. Every passage here was written for these tests."""
from __future__ import annotations

import pytest

from allegiance.actors import ActorFinder, load_catalog
from allegiance.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def finder(nlp, catalog, text: str, day: str = "2020-06-01") -> ActorFinder:
    return ActorFinder(nlp(text), catalog, day)


def at(f: ActorFinder, word: str, nth: int = 0):
    """The mention resolved at the ``nth`` token spelled ``word``."""
    toks = [t for t in f.doc if t.text == word]
    return f.resolve(toks[nth])


def triple(m):
    return None if m is None else (m.name, m.country, m.sector)


# -- appositions ------------------------------------------------------------------------------------
def test_descriptor_in_apposition_to_a_named_group(nlp, catalog):
    f = finder(nlp, catalog, "Hezbollah, the Iran-backed group, fired rockets at an army base.")
    assert triple(at(f, "group")) == ("Hezbollah", "LBN", "REB")


def test_named_group_in_apposition_to_a_descriptor(nlp, catalog):
    f = finder(nlp, catalog, "The group, Hezbollah, said it had fired rockets at the base.")
    assert triple(at(f, "group")) == ("Hezbollah", "LBN", "REB")
    assert triple(at(f, "it")) == ("Hezbollah", "LBN", "REB")


def test_title_headed_phrase_takes_the_appositive_person(nlp, catalog):
    f = finder(nlp, catalog, "Iran's foreign minister, Abbas Araghchi, flew to Oman.", "2025-03-01")
    assert at(f, "minister").name == "Abbas Araghchi"


def test_unknown_name_is_coded_like_its_description(nlp, catalog):
    f = finder(nlp, catalog, "The Eastern Lions Brigade, a rebel faction in Syria, shelled a village.")
    m = at(f, "Brigade")
    assert (m.name, m.country, m.sector, m.kind) == ("Eastern Lions Brigade", "SYR", "REB", "organisation")


# -- acronyms the text defines ------------------------------------------------------------------------
def test_acronym_of_a_catalog_organisation(nlp, catalog):
    f = finder(nlp, catalog, "Clashes broke out between the army and the Sudanese Armed Forces (SAF) "
                             "on Monday. The SAF said it had retaken the bridge.", "2024-02-01")
    later = at(f, "SAF", 1)
    assert later.name == "Sudanese Armed Forces" and later.rule.startswith("acronym:")
    assert triple(at(f, "it")) == triple(later)


def test_acronym_of_an_unknown_organisation_keeps_its_description(nlp, catalog):
    text = ("The Northern Example Front (NEF), a rebel group in Mali, attacked an army post on Monday. "
            "On Tuesday the NEF released two soldiers.")
    f = finder(nlp, catalog, text)
    first, later = at(f, "Front"), at(f, "NEF", 1)
    assert triple(first) == ("Northern Example Front", "MLI", "REB")
    assert triple(later) == triple(first)


def test_acronym_of_an_unknown_armed_group_without_description(nlp, catalog):
    f = finder(nlp, catalog, "The Coastal Liberation Army (CLA) seized a port. The CLA then withdrew.")
    assert triple(at(f, "CLA", 1)) == ("Coastal Liberation Army", None, "REB")


def test_acronym_is_not_used_before_it_is_defined_or_when_initials_differ(nlp, catalog):
    f = finder(nlp, catalog, "QRX fighters moved in. Later the Northern Example Front (QRX) spoke.")
    assert f.resolve(f.doc[0]) is None or not f.resolve(f.doc[0]).rule.startswith("acronym")
    f = finder(nlp, catalog, "The Northern Example Front (XYZ) spoke. The XYZ later withdrew.")
    assert "XYZ" not in f.acronyms


# -- office holders on the day -----------------------------------------------------------------------
@pytest.mark.parametrize(("phrase", "day", "name"), [
    ("the Hezbollah leader", "2024-11-15", "Naim Qassem"),
    ("the leader of Hezbollah", "2020-06-01", "Hassan Nasrallah"),
    ("the NATO secretary-general", "2025-03-01", "Mark Rutte"),
    ("the UN chief", "2015-06-01", "Ban Ki-moon"),
    ("the EU foreign policy chief", "2021-06-01", "Josep Borrell"),
    ("the European Commission president", "2021-06-01", "Ursula von der Leyen"),
    ("the RSF commander", "2024-01-01", "Mohamed Hamdan Dagalo"),
    ("the Russian leader", "2010-06-01", "Dmitry Medvedev"),
    ("the Turkish leader", "2012-06-01", "Recep Tayyip Erdogan"),
    ("the Turkish leader", "2020-06-01", "Recep Tayyip Erdogan"),
    ("the Israeli leader", "2020-06-01", "Benjamin Netanyahu"),
    ("Iran's leader", "2020-06-01", "Ali Khamenei"),
    ("the British foreign secretary", "2020-06-01", "Dominic Raab"),
])
def test_title_resolves_to_the_holder(nlp, catalog, phrase, day, name):
    m = ActorFinder(nlp(phrase), catalog, day).phrase()
    assert m is not None and m.name == name and m.kind == "person"


def test_ambiguous_organisation_title_stays_with_the_organisation(nlp, catalog):
    m = ActorFinder(nlp("the Hamas leader"), catalog, "2020-06-01").phrase()
    assert (m.name, m.country, m.sector, m.kind) == ("Hamas", "PSE", "REB", "title")


# -- coreference -------------------------------------------------------------------------------------
def test_infinitive_controller_binds_the_possessive(nlp, catalog):
    f = finder(nlp, catalog, "The United States urged Rwanda to withdraw its troops from the border.")
    assert at(f, "its").country == "RWA"
    assert at(f, "troops").country == "RWA"


def test_object_pronoun_is_not_its_own_subject(nlp, catalog):
    f = finder(nlp, catalog, "Iran's president arrived in Moscow. Putin told him that the deal stood.")
    assert at(f, "him").country == "IRN"


def test_pronoun_prefers_the_main_clause_subject_to_a_reported_one(nlp, catalog):
    f = finder(nlp, catalog, "Bolivian opposition leader Luis Camacho declared a general strike in Santa Cruz, "
                             "saying Evo Morales had stolen the election. Hours later Brazil backed him.")
    assert at(f, "him").name == "Luis Camacho"
    f = finder(nlp, catalog, "Evo Morales said on Sunday that Luis Camacho had stolen the election. "
                             "Hours later Brazil backed him.")
    assert at(f, "him").name == "Evo Morales"


def test_a_person_pronoun_past_the_sentence_before_is_the_one_person_named(nlp, catalog):
    f = finder(nlp, catalog, "Senator Maria Okafor declared herself interim leader on Tuesday. The constitutional "
                             "court said the succession was valid. Washington recognised her on Wednesday.")
    assert at(f, "her").name == "Maria Okafor"


def test_a_person_pronoun_past_the_sentence_before_stays_open_between_two_people(nlp, catalog):
    f = finder(nlp, catalog, "Senator Maria Okafor met Governor Joyce Adeyemi on Tuesday. The constitutional "
                             "court said the meeting was valid. Washington recognised her on Wednesday.")
    assert at(f, "her") is None


def test_possessive_of_an_organisation_gives_the_organisation(nlp, catalog):
    f = finder(nlp, catalog, "Hezbollah said its fighters had hit an army patrol.")
    assert triple(at(f, "fighters")) == ("Hezbollah", "LBN", "REB")


def test_his_group_is_the_organisation_the_person_leads(nlp, catalog):
    f = finder(nlp, catalog, "Abdul-Malik al-Houthi said his group would halt its attacks.")
    assert at(f, "group").name == "Houthis"
    assert at(f, "attacks").name == "Houthis"


def test_pronoun_skips_an_actor_named_in_a_relative_clause(nlp, catalog):
    f = finder(nlp, catalog, "A rebel faction that Paris has armed said jets hit three of its bases.")
    assert at(f, "its").country != "FRA"


def test_descriptor_as_possessor(nlp, catalog):
    f = finder(nlp, catalog, "The Saudi-led coalition bombed a bridge. The coalition's spokesman "
                             "said coalition warplanes would strike again.", "2020-06-01")
    assert at(f, "warplanes").country == "SAU"
    assert at(f, "spokesman").country == "SAU"


def test_descriptor_as_modifier_prefers_the_organisation_it_names(nlp, catalog):
    f = finder(nlp, catalog, "The Saudi-led coalition backed the talks, and the United Nations thanked it. "
                             "Coalition aircraft later bombed a depot.", "2020-06-01")
    assert at(f, "aircraft").country == "SAU"


# -- modifiers -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("phrase", "country", "sector"), [
    ("a Liberian-flagged tanker", "LBR", "BUS"),
    ("a Greek-owned tanker", "GRC", "BUS"),
    ("Iran-backed militias", None, "PRM"),
    ("a UN-run school", None, "EDU"),
    ("hackers working for Russian military intelligence", "RUS", "CRM"),
    ("fighters loyal to Hemedti", "SDN", "REB"),
    ("the defence ministry in Berlin", "DEU", "MIL"),
    ("the embassy in Kabul", None, "GOV"),
    ("student leaders", None, "EDU"),
    ("anti-Iranian protesters", None, "CVL"),
])
def test_modifier_rules(nlp, catalog, phrase, country, sector):
    m = ActorFinder(nlp(phrase), catalog, "2024-01-01").phrase()
    assert m is not None and (m.country, m.sector) == (country, sector), m


def test_conjoined_countries_after_of(nlp, catalog):
    doc = nlp("The presidents of Chile, Peru and Bolivia met.")
    f = ActorFinder(doc, catalog, "2020-06-01")
    head = doc[1]
    m = f.resolve(head)
    assert m.country == "CHL"
    assert sorted(x.country for x in f.conjoined_modifiers(head, m)) == ["BOL", "PER"]


# -- a catalog name that closes a person's name is the person's surname ------------------------------
@pytest.mark.parametrize("text, word", [
    ("Foreign Minister Marie-Claire Lumbu Wagner told reporters the talks had failed.", "Wagner"),
    ("Mr Wagner, a lawyer from Hamburg, filed the complaint.", "Wagner"),
])
def test_surname_is_not_the_organisation(nlp, catalog, text, word):
    m = at(finder(nlp, catalog, text), word)
    assert m is None or m.name != "Wagner Group"


def test_organisation_name_alone_still_resolves(nlp, catalog):
    f = finder(nlp, catalog, "Russia's Wagner sent fighters to Mali, officials said.")
    assert triple(at(f, "Wagner")) == ("Wagner Group", "RUS", "PRM")


# -- institutions many states have ----------------------------------------------------------------
def test_a_bare_congress_is_the_story_states_and_the_us_one_when_the_story_names_the_us(nlp, catalog):
    f = finder(nlp, catalog, "Guatemalan prosecutors questioned the minister on Monday, and Congress voted "
                             "to lift his immunity after a visit by the Mexican ambassador.")
    assert at(f, "Congress").country == "GTM"
    f = finder(nlp, catalog, "Chilean police detained two students, and Congress opened an inquiry.")
    assert at(f, "Congress").country == "CHL"
    f = finder(nlp, catalog, "The Pentagon asked Congress for more money for Ukraine.")
    assert at(f, "Congress").country == "USA"
    f = finder(nlp, catalog, "Congress passed the budget on Friday.")
    assert at(f, "Congress").country == "USA"  # nothing else named: the catalog's reading
    f = finder(nlp, catalog, "Colombia's Congress approved the peace deal.")
    assert at(f, "Congress").country == "COL"


def test_a_warship_named_with_its_navys_prefix_is_that_states_military(nlp, catalog):
    f = finder(nlp, catalog, "Houthi forces fired two missiles at the destroyer USS Carney in the Red Sea.")
    assert triple(at(f, "Carney")) == ("USS Carney", "USA", "MIL")
    f = finder(nlp, catalog, "A Chinese coast guard vessel rammed the BRP Cabra near the shoal.")
    assert at(f, "Cabra").country == "PHL"
    f = finder(nlp, catalog, "The frigate HMS Richmond escorted two tankers through the strait.")
    assert at(f, "Richmond").country == "GBR"


def test_short_words_are_no_navy_prefixes(nlp, catalog):
    """'ITS' and 'HS' are words and initials before they are Italian or Greek warships."""
    f = finder(nlp, catalog, "GHANA SAYS ITS TROOPS WILL STAY.")
    assert all(m.country != "ITA" for m in f.mentions)
    f = finder(nlp, catalog, "The school's HS Principal Mary Osei met the minister.")
    assert all(m.country != "GRC" for m in f.mentions)


def test_a_surname_the_tagger_reads_as_a_place_is_the_person_named_before(nlp, catalog):
    f = finder(nlp, catalog, "Kurdish leader Massoud Barzani asked Western capitals for weapons. "
                             "On Friday, French President Francois Hollande spoke to Barzani by telephone.")
    assert triple(at(f, "Barzani", 1)) == ("Masoud Barzani", "IRQ", "GOV")
    f = finder(nlp, catalog, "French President Francois Hollande spoke to Barzani by telephone.")
    assert at(f, "Barzani") is None or at(f, "Barzani").name != "Masoud Barzani"  # nobody named before


# -- conjoined nationalities and pairs ------------------------------------------------------------
def test_a_peoples_name_modifying_a_noun_is_conjoined_like_an_adjective(nlp, catalog):
    # "the French" is also the French people; before a noun with a conjoined nationality it is an adjective
    f = finder(nlp, catalog, "The junta expelled the French and German envoys on Friday.")
    head = [t for t in f.doc if t.text == "envoys"][0]
    m = f.resolve(head)
    assert m.country == "FRA"
    assert [x.country for x in f.conjoined_modifiers(head, m)] == ["DEU"]


def pair(f: ActorFinder, word: str) -> set:
    tok = [t for t in f.doc if t.text == word][0]
    return {m.country for m in f.both_parties(tok)}


def test_the_two_after_a_coordinated_clause_are_the_host_and_the_guest(nlp, catalog):
    # the subject of a coordinated clause is one of the pair, not someone addressing it
    f = finder(nlp, catalog, "Prime Minister Mark Rutte received the Belgian premier in The Hague on "
                             "Monday, and the two governments agreed to set up a border commission.")
    assert pair(f, "governments") == {"NLD", "BEL"}
    f = finder(nlp, catalog, "The Kenyan president met Ethiopia's prime minister in Nairobi on Friday "
                             "and the two agreed to reopen the border.")
    assert pair(f, "two") == {"KEN", "ETH"}


def test_who_urges_both_sides_is_not_one_of_them(nlp, catalog):
    f = finder(nlp, catalog, "The UN envoy met Ethiopian and Eritrean officials on Monday and urged both "
                             "sides to reopen the border.")
    assert pair(f, "sides") == {"ETH", "ERI"}  # the conjoined nationality counts as a party
    f = finder(nlp, catalog, "Ghana and Togo traded accusations on Monday. The AU urged both sides to talk.")
    assert pair(f, "sides") == {"GHA", "TGO"}


def test_the_two_men_are_the_pair_just_named_but_two_men_are_not(nlp, catalog):
    f = finder(nlp, catalog, "The Russian premier flew to Minsk on Thursday for talks with Lukashenko, and "
                             "the two men agreed to reopen the gas negotiations.")
    assert pair(f, "men") == {"RUS", "BLR"}
    f = finder(nlp, catalog, "Kenya and Somalia signed a trade deal on Monday. Two men were shot dead in Mogadishu.")
    assert pair(f, "men") == set()


def test_both_alone_is_the_pair_just_named(nlp, catalog):
    f = finder(nlp, catalog, "Lukashenko said he was closing the border with Poland and Lithuania, accusing "
                             "both of stoking unrest.")
    assert pair(f, "both") == {"POL", "LTU"}


# -- seats of international bodies ---------------------------------------------------------------
@pytest.mark.parametrize(("text", "nth"), [
    ("Hungary will not bow to pressure from Brussels to lift its veto.", 0),
    ("Brussels imposed new sanctions on Minsk on Friday.", 0),
    ("Belarus recalled its envoy to Brussels on Monday.", 0),
])
def test_brussels_acting_is_the_european_union(nlp, catalog, text, nth):
    m = at(finder(nlp, catalog, text), "Brussels", nth)
    assert m is not None and (m.name, m.country) == ("European Union", "EUR")


@pytest.mark.parametrize("text", [
    "NATO defence ministers met in Brussels on Thursday.",
    "Farmers blocked roads near Brussels with tractors.",
])
def test_brussels_as_a_place_is_no_actor(nlp, catalog, text):
    assert at(finder(nlp, catalog, text), "Brussels") is None


def test_a_rebel_alliance_whose_name_ends_in_another_groups_name_is_itself(nlp, catalog):
    f = finder(nlp, catalog, "Jaish al-Fatah fighters shelled the town, and Fatah officials in Ramallah "
                             "condemned the raid.", "2015-10-02")
    assert (at(f, "fighters").name, at(f, "fighters").country) == ("Jaish al-Fatah", "SYR")
    assert at(f, "officials").name == "Fatah"


def test_officials_of_a_breakaway_region_are_its_de_facto_authorities(nlp, catalog):
    f = finder(nlp, catalog, "Karabakh officials said Azerbaijani troops fired on a village.", "2023-09-22")
    m = at(f, "officials")
    assert (m.name, m.country, m.sector) == ("Nagorno-Karabakh Republic", "AZE", "PRE")


@pytest.mark.parametrize("text,word", [
    ("Chad's UN ambassador accused Libya of arming the rebels.", "ambassador"),
    ("The Chadian UN envoy accused Libya of arming the rebels.", "envoy"),
])
def test_a_states_envoy_to_the_un_is_the_state(nlp, catalog, text, word):
    m = at(finder(nlp, catalog, text), word)
    assert (m.country, m.sector) == ("TCD", "GOV")


def test_the_un_envoy_of_no_state_stays_the_un(nlp, catalog):
    assert at(finder(nlp, catalog, "The UN envoy accused Libya of arming the rebels."), "envoy").country == "UNO"


def test_a_spokesman_for_a_group_speaks_for_it(nlp, catalog):
    m = at(finder(nlp, catalog, "A spokeswoman for Hezbollah denied the report."), "spokeswoman")
    assert m.name == "Hezbollah"


def test_an_envoy_for_a_country_is_not_that_country(nlp, catalog):
    m = at(finder(nlp, catalog, "A French envoy for Lebanon met the speaker."), "envoy")
    assert m.country == "FRA"


@pytest.mark.parametrize("text,word", [
    ("A Western diplomat said the talks had stalled.", "diplomat"),
    ("Gulf officials said the talks had stalled.", "officials"),
    ("Latin American governments rejected the election result.", "governments"),
])
def test_an_agent_of_a_region_or_bloc_is_a_regional_construct(nlp, catalog, text, word):
    assert at(finder(nlp, catalog, text), word) is None


@pytest.mark.parametrize("text,word,country", [
    ("South Korean officials said the talks had stalled.", "officials", "KOR"),
    ("American and Arab officials said the talks had stalled.", "officials", "USA"),
])
def test_a_state_named_beside_a_region_is_kept(nlp, catalog, text, word, country):
    assert at(finder(nlp, catalog, text), word).country == country


def test_people_of_an_ethnic_group_are_no_regional_construct(nlp, catalog):
    m = at(finder(nlp, catalog, "The militia armed Sunni Arab volunteers in Anbar."), "volunteers")
    assert m is not None
