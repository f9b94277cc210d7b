"""Composition rules: an agent noun or title composed with its modifiers.

Nationality and country modifiers ("Iranian troops", "Syria's army", "forces from Iraq",
"protesters in Iran"), a named person ("Putin's government") or organisation ("UN officials",
"jihadists linked to al-Qaeda") as owner, possessive pronouns and descriptors ("its fighters",
"the group's fighters"), and titles mapped to the person holding them on the day ("Iran's
president", "the Hezbollah leader", "the leader of Iran").
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from .base import GROUP_SECTORS, MOD_DEPS, ORG_DESCRIPTORS, STATE_SECTORS, FinderBase, Mention, _Match
from .catalog import Entity

__all__ = ["ComposeMixin"]

# weapons and platforms name an armed force ("Russian missiles" is RUS MIL) ...
WEAPON_HEADS = frozenset({"bomb", "missile", "rocket", "shell", "drone", "artillery", "warplane", "jet",
                          "aircraft", "plane", "helicopter", "warship", "gunboat", "tank", "convoy",
                          "unit", "force", "vessel", "navy"})
# ... acts of violence do not: "Israel's strike" is ISR with a null sector (the agent is unstated)
EVENT_HEADS = frozenset({"airstrike", "strike", "bombing", "raid", "attack", "fire", "shelling",
                         "offensive", "campaign", "operation", "bombardment", "assault", "incursion",
                         "invasion", "barrage"})
# things a sector word can qualify without naming an actor: "military agreements", "police reform"
TOPIC_HEADS = frozenset({"agreement", "accord", "deal", "pact", "treaty", "cooperation", "tie", "relation",
                         "aid", "assistance", "support", "help", "budget", "spending", "expenditure", "law",
                         "policy", "doctrine", "reform", "equipment", "hardware", "technology", "sale",
                         "export", "import", "purchase", "contract", "training", "presence", "intervention"})
# singular nouns that denote the head of an organisation or a country
ORG_HEADS = frozenset({"leader", "chief", "head", "boss", "chairman", "chair", "president",
                       "secretary-general", "secretary general", "director-general", "commander"})
COUNTRY_HEADS = frozenset({"leader", "ruler", "strongman"})
TOP_TITLES = ("leader", "secretary-general", "supreme leader", "commission president", "council president",
              "head of state", "president", "commander")
IGO_CODES = frozenset({"UNO", "IGO", "EUR", "NGO"})
ARMED_SECTORS = frozenset({"MIL", "COP"})
LINK_LEMMAS = frozenset({"link", "linked", "affiliate", "affiliated", "loyal", "tie", "tied", "align",
                         "aligned", "ally", "allied", "associate", "associated", "connect", "connected"})
BACKING_LEMMAS = frozenset({"back", "backed", "support", "supported", "sponsor", "sponsored", "fund",
                            "funded", "arm", "armed", "train", "trained", "supply", "supplied", "equip",
                            "equipped", "inspire", "inspired", "run"})
# "an Ottoman-era mosque", "a Soviet-style purge", "Iranian-made drones": the country names a period,
# a style or a maker, not the party that holds or uses the thing
STYLE_LEMMAS = frozenset({"era", "style", "period", "vintage", "make", "made", "build", "built", "design",
                          "designed", "manufacture", "manufactured"})
# acts named by a noun whose "from"/"of" phrase is where or what they leave, not who they are
# ("its withdrawal from ECOWAS", "the pullout from Kherson", "an exit from the treaty")
EVENTIVE_HEADS = frozenset({"withdrawal", "pullout", "exit", "departure", "expulsion", "suspension", "secession",
                            "retreat", "evacuation", "release", "return", "removal"})
# "a Greek-owned tanker", "a Panama-flagged ship": the country owns or flags the vessel
OWNER_LEMMAS = frozenset({"own", "owned", "flag", "flagged", "register", "registered"})
AGENT_LEMMAS = frozenset({"work", "act", "fight", "spy"})
# posts abroad: "the embassy in Kabul" is not Afghanistan's
FOREIGN_POSTS = frozenset({"embassy", "consulate", "ambassador", "envoy", "diplomat", "delegation",
                           "mission", "attache", "consul"})
# verbs whose "from" phrase is where something moves from, not where agents come from
MOVEMENT_LEMMAS = frozenset({"withdraw", "pull", "move", "come", "return", "flee", "arrive", "travel", "fly",
                             "send", "deploy", "evacuate", "retreat", "cross", "expel", "remove", "bring",
                             "transfer", "redeploy", "drive", "oust", "recall", "depart", "escape", "rescue",
                             "release", "free", "launch", "fire", "shell", "strike", "attack"})
PLACE_PREPS = frozenset({"in", "across", "inside", "throughout"})
PLACED_SECTORS = frozenset({"CVL", "OPP", "REB", "UAF", "EDU", "LAB", "MED", "AGR", "BUS", "JRN", "REL",
                            "SOC", "CRM", "PTY"})


# descriptor words of alignment: "Iran-backed", "Russian-allied", "US-led", "Turkish-trained"
AFFILIATION_LEMMAS = {**{w: "backed" for w in ("back", "backed", "support", "supported", "sponsor",
                                                "sponsored", "fund", "funded", "arm", "armed", "train",
                                                "trained", "supply", "supplied", "equip", "equipped")},
                      **{w: "aligned" for w in ("align", "aligned", "ally", "allied")},
                      "lead": "led", "led": "led"}


class ComposeMixin(FinderBase):
    """Resolution of unnamed noun phrases from their modifiers, owners and titles."""

    def _is_pro(self, tok: Token) -> bool:
        """"pro-Russian", "anti-Iranian": the nationality is the group's stance, not its own."""
        doc, i = self.doc, tok.i
        prev = doc[i - 1].lower_ if i > 0 else ""
        return prev in ("pro", "anti", "pro-", "anti-") or (
            prev == "-" and i > 1 and doc[i - 2].lower_ in ("pro", "anti"))

    def affiliations(self, head: Token, own: tuple[str | None, str | None]) -> tuple:
        """Patrons named by descriptors of the phrase headed by ``head``: "Iran-backed",
        "Turkish-backed factions", "pro-Russian", "backed by Turkey" -> (relation, name,
        country, sector) each, without the actor itself (``own`` = its name and country)."""
        doc, out = self.doc, []
        spans = []  # (relation, token naming the patron)
        i = head.left_edge.i
        while i < head.i:
            m = self.match(doc[i])
            if m is None:
                i += 1
                continue
            after = doc[m.end + 1].lemma_.lower() if m.end + 1 < len(doc) and doc[m.end].text == "-" else ""
            if after in AFFILIATION_LEMMAS:
                spans.append((AFFILIATION_LEMMAS[after], doc[m.end - 1]))
            elif self._is_pro(doc[m.start]) and doc[m.start - 1].lower_.startswith("pro") or (
                    m.start > 1 and doc[m.start - 2].lower_ == "pro" and doc[m.start - 1].text == "-"):
                spans.append(("pro", doc[m.end - 1]))
            i = max(m.end, i + 1)
        for c in head.children:  # "rebels backed by Turkey"
            rel = AFFILIATION_LEMMAS.get(c.lemma_.lower())
            if c.dep_ == "acl" and rel:
                spans += [(rel, o) for a in c.children if a.dep_ == "agent"
                          for o in a.children if o.dep_ == "pobj"]
        for rel, tok in spans:
            m = self.match(tok)
            if m is None:
                continue
            if m.kind in ("country", "adjective", "capital", "metonym"):
                iso3 = m.ref[0] if m.kind == "metonym" else m.ref
                patron = (rel, self._state_name(str(iso3)), str(iso3), None)
            elif m.kind == "organisation":
                country, sector, _ = self._entity(m.ref)
                patron = (rel, m.ref.name, country, sector)
            else:
                continue
            if patron[1] is not None and (patron[1], patron[2]) != own and patron[2] != own[1] \
                    and patron not in out:
                out.append(patron)
        return tuple(out)

    def _detached_origin(self, tok: Token) -> str | None:
        """"fighting alongside troops and soldiers from a regional force": the parser hangs the
        "from" phrase on the verb; right after an agent noun, and on a verb that is not one of
        movement ("withdrew troops from Mali"), it says where the agents come from."""
        doc = self.doc
        if tok.i + 1 >= len(doc):
            return None
        prep = doc[tok.i + 1]
        if prep.lower_ != "from" or prep.dep_ != "prep" or prep.head.i == tok.i \
                or prep.head.lemma_.lower() in MOVEMENT_LEMMAS:
            return None
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            if self._multinational(obj):
                return "IGO"
            m = self.match(obj)
            if m is not None and m.kind in ("country", "adjective"):
                return str(m.ref)
        return None

    @staticmethod
    def _multinational(tok: Token) -> bool:
        """"a regional force", "troops from a multinational force": a force of several states."""
        heads = [tok] + [o for p in tok.children if p.dep_ == "prep" and p.lower_ in ("of", "from")
                         for o in p.children if o.dep_ == "pobj"]
        return any(h.lemma_.lower() in ("force", "mission", "contingent", "coalition")
                   and any(c.dep_ == "amod" and c.lower_ in ("regional", "multinational", "international")
                           for c in h.children) for h in heads)

    def _backed_by(self, m: _Match) -> bool:
        """"Iran-backed", "UN-run": the match is followed by a hyphen and a backing verb."""
        doc = self.doc
        return (m.end + 1 < len(doc) and doc[m.end].text == "-"
                and doc[m.end + 1].lemma_.lower() in BACKING_LEMMAS | STYLE_LEMMAS)

    def _agentive(self, head: Token) -> bool:
        """The head names people or a body (an agent noun, a title, a catalog name, or a word the
        parser takes for a name), not an act ("withdrawal", "visit")."""
        return head.pos_ == "PROPN" or self.match(head) is not None or head.lemma_.lower() not in EVENTIVE_HEADS

    def _modifier_info(self, head: Token) -> dict:
        """Country, sector, organisation and title carried by a head's modifiers."""
        info: dict = {}
        stack = [c for c in head.children if c.dep_ in MOD_DEPS or c.dep_ == "prep"]
        seen = set()
        while stack:
            c = stack.pop(0)
            if c.i in seen:
                continue
            seen.add(c.i)
            if c.dep_ == "prep":
                if c.lower_ in ("of", "from") and c.i > head.i and (c.head.i != head.i or self._agentive(head)):
                    # "fighters from Chad", "a delegation of the EU"; not "its withdrawal from ECOWAS"
                    stack += [g for g in c.children if g.dep_ == "pobj"]
                continue
            if c.lemma_.lower() in BACKING_LEMMAS:  # "Iran-backed": a descriptor, not the group's country
                continue
            if c.lemma_.lower() in STYLE_LEMMAS and any(g.text == "-" for g in c.children):
                continue  # "an Ottoman-era mosque", "Russian-made jets": a period or a maker, not an owner
            if c.lemma_.lower() in OWNER_LEMMAS:
                stack += [g for g in c.children if g.dep_ in ("npadvmod", "compound", "amod", "nmod")]
                continue
            m = self.match(c)
            if m is not None and self._backed_by(m):  # flat parse of "UN-run", "Iran-backed"
                continue
            if m is not None:
                if m.kind in ("country", "adjective", "capital", "demonym", "metonym"):
                    if self._is_pro(self.doc[m.start]):
                        continue
                    info.setdefault("country", m.ref[0] if m.kind == "metonym" else m.ref)
                elif m.kind in ("organisation", "person"):
                    country, sector, _ = self._entity(m.ref)
                    info.setdefault("entity", (m.ref, country, sector))
                elif m.kind == "agent":
                    info.setdefault("sector", m.ref)
                elif m.kind == "title":
                    info.setdefault("title", m.ref)
            # follow compound chains and possessors of possessors ("Syria's army's units")
            stack += [g for g in c.children if g.dep_ in ("compound", "amod", "poss", "nmod")]
            if c.dep_ == "poss" or c.dep_ == "pobj":
                stack += [g for g in c.children if g.dep_ == "prep"]
        return info

    def _placed_in(self, head: Token, capitals_only: bool = False) -> str | None:
        """'protesters in Iran': the country an unnamed group is placed in."""
        kinds = ("capital",) if capitals_only else ("country", "capital")
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in (("in",) if capitals_only else PLACE_PREPS):
                for obj in prep.children:
                    m = self.match(obj)
                    if obj.dep_ == "pobj" and m is not None and m.kind in kinds:
                        return m.ref
        return None

    def _linked(self, head: Token) -> tuple[str | None, str | None] | None:
        """(country, sector) of the actor a group is tied to: "jihadists linked to al-Qaeda",
        "fighters loyal to X", "hackers working for Russian military intelligence"."""
        links = [c for c in head.children if c.dep_ in ("acl", "amod", "relcl")
                 and c.lemma_.lower() in LINK_LEMMAS | AGENT_LEMMAS]
        if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in LINK_LEMMAS:
            links.append(head.head)
        for link in links:
            agent = link.lemma_.lower() in AGENT_LEMMAS  # "hackers working for Russian intelligence"
            for prep in link.children:
                if prep.dep_ != "prep" or prep.lower_ not in (("for",) if agent else ("to", "with")):
                    continue
                for obj in prep.children:
                    if obj.dep_ != "pobj":
                        continue
                    m = self.match(obj)
                    if m is not None and m.kind in ("organisation", "person"):
                        country, sector, _ = self._entity(m.ref)
                        return country, sector
                    inner = self.resolve(obj) if agent else None
                    if inner is not None and inner.country:
                        return inner.country, None
        return None

    def _counterpart(self, tok: Token, country: str, start: int, end: int, text: str) -> Mention:
        """"his Turkish counterpart": whoever holds, in that country, the office of the person the
        possessive names (else the country's government)."""
        owner = self._possessive_pronoun(tok)
        if owner is not None and owner.kind == "person":
            person = self.cat.named("person", owner.name)
            for role in (person.roles if person else []):
                if role.title and role.covers(self.day) and not role.org:
                    holders = self.cat.holders(role.title, country, self.day)
                    if len(holders) == 1:
                        return self._person(holders[0], start, end, tok.i, "counterpart")
        return Mention(start, end, tok.i, text, self._state_name(country), country, "GOV", None,
                       "title", rule="counterpart+nationality")

    def _group_leader(self, head: Token) -> Mention | None:
        """The armed organisation that leads an unnamed armed group ("fighters led by the M23")."""
        for acl in head.children:
            if acl.dep_ != "acl" or acl.lemma_.lower() != "lead":
                continue
            for agent in acl.children:
                if agent.dep_ != "agent":
                    continue
                for obj in agent.children:
                    m = self.match(obj) if obj.dep_ == "pobj" else None
                    if m is not None and m.kind == "organisation":
                        inner = self.resolve(obj)
                        if inner is not None and inner.sector in ("REB", "PRM"):
                            return inner
        return None

    def _led_by(self, person: Mention) -> Entity | None:
        """The organisation a person holds an office in on the day (role ``org``)."""
        ent = self.cat.named("person", person.name)
        for role in (ent.roles if ent is not None else ()):
            if role.org and role.covers(self.day):
                return self.cat.named("organisation", role.org)
        return None

    def _descriptor_owner(self, tok: Token) -> Mention | None:
        """A descriptor as possessor or compound ("the group's fighters", "coalition jets"): the
        last organisation named before it."""
        for c in tok.children:
            if c.dep_ in ("poss", "compound") and c.lemma_.lower() in ORG_DESCRIPTORS and self.match(c) is None:
                if c.dep_ == "poss" and not any(d.lower_ == "the" for d in c.children):
                    continue
                prior = [m for m in self.mentions if m.head < c.i and m.kind == "organisation"]
                # "coalition aircraft" after "the Saudi-led coalition ... UN efforts": the last
                # organisation the word names (its name has the word), else the last one
                word = c.lemma_.lower()
                own = [m for m in prior if word in (m.name or "").lower().split()]
                return (own or prior)[-1] if prior else None
        return None

    def _possessive_pronoun(self, tok: Token) -> Mention | None:
        for c in tok.children:
            if c.dep_ == "poss" and c.pos_ == "PRON" and c.lower_ in ("its", "their", "his", "her"):
                return self.resolve(c)
            if c.dep_ == "poss" and c.lower_ == "whose":  # "Ethiopia, whose troops ...": the antecedent
                clause = tok
                for _ in range(4):
                    if clause.dep_ == "relcl":
                        return self.resolve(clause.head)
                    if clause.head.i == clause.i:
                        break
                    clause = clause.head
        return None

    def _person(self, person: Entity, start: int, end: int, head: int, rule: str) -> Mention:
        country, sector, _ = self._entity(person)
        return Mention(start, end, head, self._span_text(start, end), person.name, country, sector,
                       person.id, "person", rule=rule)

    def _org_holder(self, org: Entity, word: str) -> Entity | None:
        """The one person holding ``word`` ("leader", "secretary-general") in ``org`` on the day."""
        if org.office is not None:
            title, name = org.office
            found = self.cat.holders(title, None, self.day, org=name)
            return found[0] if len(found) == 1 else None
        titles = [self.cat.role_title(word)]
        if word in ORG_HEADS:
            titles += [t for t in TOP_TITLES if t not in titles]
        for title in titles:
            found = self.cat.holders(title, None, self.day, org=org.name)
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def _ent_bounds(self, tok: Token) -> tuple[int, int]:
        for ent in self.ents:
            if ent.start <= tok.i < ent.end:
                return ent.start, ent.end
        return tok.i, tok.i + 1

    def _same_person(self, tok: Token, a: int, b: int) -> Mention | None:
        """The last person mention before ``tok`` whose name ends with the words of ``a..b``
        ("Sánchez", "Pedro Sánchez" after "Spanish Prime Minister Pedro Sánchez")."""
        words = [t.text for t in self.doc[a:b]]
        for m in reversed(self.mentions):
            if m.head >= a or m.kind != "person" or not m.name:
                continue
            for full in (m.name.split(), m.text.split()):  # the catalog's spelling or the text's
                if len(full) > len(words) and full[-len(words):] == words:
                    return m
        return None

    def _compose(self, tok: Token, m: _Match | None, start: int, end: int, text: str) -> Mention | None:
        """Agent nouns and titles composed with their modifiers."""
        info = self._modifier_info(tok)
        sector = None
        title = None
        if m is not None and m.kind == "agent":
            sector = m.ref
            if tok.lemma_ in ("leader", "leadership") and info.get("sector") in GROUP_SECTORS:
                sector = info["sector"]  # "student leaders", "tribal leaders": leaders of the group
        elif m is not None and m.kind == "title":
            sector, title = m.ref
        else:
            sector = info.get("sector") if tok.lemma_.lower() not in TOPIC_HEADS else None
            title = info.get("title", (None, None))[1] if "title" in info else None
            if title:
                sector = info["title"][0]
        ent = info.get("entity")
        country = info.get("country")
        if ent is not None:
            entity, e_country, e_sector = ent
            if entity.kind == "organisation":
                post = (title or tok.lemma_.lower()) in FOREIGN_POSTS or any(
                    c.dep_ == "compound" and c.lemma_.lower() in FOREIGN_POSTS for c in tok.children)
                if post and country and country not in IGO_CODES and e_country in IGO_CODES:
                    # "Sudan's UN ambassador", "the Sudanese UN envoy": the state's envoy to the body
                    return Mention(start, end, tok.i, text, self._state_name(country), country, "GOV", None,
                                   "title", rule="envoy+organisation")
                word = title or (tok.lower_ if self._is_head_noun(tok, ORG_HEADS) else None)
                if word is not None and "sector" not in info:  # "the Hezbollah leader", "the NATO secretary-general"
                    holder = self._org_holder(entity, word)
                    if holder is not None:
                        return self._person(holder, start, end, tok.i, "title+organisation")
                    sec = None if e_country in IGO_CODES and e_sector is None else e_sector
                    return Mention(start, end, tok.i, text, entity.name, e_country, sec, entity.id,
                                   "title", rule="title+organisation")
                if e_country in IGO_CODES and e_sector is None:  # "UN officials" stay UNO, sector null
                    sec = sector if sector in ARMED_SECTORS else None
                else:
                    sec = e_sector or sector
                return Mention(start, end, tok.i, text, entity.name, e_country, sec,
                               entity.id, "organisation", rule="agent+organisation")
            # a named person as possessor or compound: "Putin's government", "Jolani's fighters"
            country = country or e_country
            if e_sector in ("REB", "PRM") and sector in STATE_SECTORS:  # "Hemedti's forces"
                sector = e_sector
        if tok.lemma_.lower() == "counterpart" and country is not None:
            found = self._counterpart(tok, country, start, end, text)  # "his Indian counterpart"
            if found is not None:
                return found
        if ent is None and country is None:
            owner = self._possessive_pronoun(tok)  # "its fighters", "their troops", "his government"
            if owner is not None and owner.kind == "person" and tok.lemma_ in ORG_DESCRIPTORS:
                org = self._led_by(owner)  # "his group" → the organisation the person leads
                if org is not None:
                    country, sector_, _ = self._entity(org)
                    return Mention(start, end, tok.i, text, org.name, country, sector_, org.id,
                                   "organisation", rule="possessive:leader")
            if owner is None:
                owner = self._descriptor_owner(tok)  # "the coalition's spokesman", "coalition warplanes"
            if owner is not None:
                if owner.kind in ("organisation", "group") and owner.sector not in STATE_SECTORS | {None}:
                    armed = {sector, owner.sector} <= {"REB", "PRM", "IMG"}  # "Wagner's fighters"
                    if sector in STATE_SECTORS or sector == owner.sector or armed or title or (
                            sector is None and tok.lemma_ in EVENT_HEADS | WEAPON_HEADS):
                        return Mention(start, end, tok.i, text, owner.name, owner.country, owner.sector,
                                       owner.id, owner.kind, rule=f"possessive:{owner.rule}")
                country = owner.country
        if ent is None and country is None and sector in ("REB", "PRM", "UAF"):
            leader = self._group_leader(tok)  # "insurgents led by Hayat Tahrir al-Sham" are that group
            if leader is not None:
                return replace(leader, start=start, end=max(end, leader.end), head=tok.i,
                               text=self._span_text(start, max(end, leader.end)), rule="led-by+organisation")
        linked = self._linked(tok) if country is None else None
        if linked is not None:
            country = linked[0]
            sector = sector or linked[1]
        if country is None and tok.lemma_.lower() in ("jihadist", "jihadi"):
            country = "IMG"  # jihadists of no stated nationality: the transnational movement (gold README)
        if country is None and sector in PLACED_SECTORS:
            country = self._placed_in(tok)
        elif country is None and sector in STATE_SECTORS and tok.lemma_ not in FOREIGN_POSTS:
            country = self._placed_in(tok, capitals_only=True)  # "the defence ministry in Berlin"
        if sector is None:
            if tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON" and (country or title):
                return Mention(start, end, tok.i, text, self._span_text(*self._ent_bounds(tok)),
                               country, "GOV", None, "person", rule="person+title")
            if tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON":
                a, b = self._ent_bounds(tok)
                earlier = self._same_person(tok, a, b)
                if earlier is not None:  # "Sánchez" after "Pedro Sánchez": the person named before
                    return replace(earlier, start=start, end=end, head=tok.i, text=text,
                                   rule=f"coref:surname:{earlier.rule}")
                if b - a >= 2:  # a full name the catalog does not know: a person of no stated country
                    return Mention(start, end, tok.i, text, self._span_text(a, b), None, None, None, "person",
                                   rule="person")
            if country and self._is_head_noun(tok, COUNTRY_HEADS):  # "the Russian leader"
                holder = self.cat.executive_holder(country, self.day)
                if holder is not None:
                    return self._person(holder, start, end, tok.i, "leader+country")
                return Mention(start, end, tok.i, text, self._state_name(country), country, "GOV", None,
                               "title", rule="leader+country")
            if country and tok.lemma_ in EVENT_HEADS:
                return Mention(start, end, tok.i, text, self._state_name(country), country, None,
                               None, "agent", rule="event+nationality")
            if country and tok.lemma_ in WEAPON_HEADS:
                return Mention(start, end, tok.i, text, self._state_name(country), country, "MIL",
                               None, "agent", rule="weapon+nationality")
            return None
        if country in IGO_CODES and sector not in ARMED_SECTORS:
            sector = None
        if title and tok.pos_ != "PROPN":
            holders = self.cat.holders(title, country, self.day) if country else []
            if len(holders) == 1:
                return self._person(holders[0], start, end, tok.i, "title")
            return Mention(start, end, tok.i, text, self._state_name(country), country, sector,
                           None, "title", rule="title")
        if title and tok.pos_ == "PROPN":
            return Mention(start, end, tok.i, text, self._span_text(*self._ent_bounds(tok)), country,
                           sector, None, "person", rule="title+name")
        if country is None and sector in ARMED_SECTORS | {"REB", "PRM"}:
            country = self._detached_origin(tok) or country
        if country is None and sector == "MIL" and self._multinational(tok):
            country = "IGO"  # "soldiers of a southern African regional force"
        if country is None:
            ante = self._definite(tok, sector)
            if ante is not None:
                return ante
        name = self._state_name(country) if sector in STATE_SECTORS else None
        return Mention(start, end, tok.i, text, name, country, sector, None,
                       "agent" if sector in STATE_SECTORS else "group", rule="agent+nationality")

    def _head_of(self, tok: Token, obj: Token, start: int) -> Mention | None:
        """"the leader of Hezbollah", "the head of the UN", "the leader of Iran": the office holder."""
        mo = self.match(obj)
        if mo is None:
            return None
        end = max(mo.end, tok.i + 1)
        if mo.kind == "organisation" and self._is_head_noun(tok, ORG_HEADS):
            holder = self._org_holder(mo.ref, tok.lower_)
            if holder is not None:
                return self._person(holder, start, end, tok.i, "title+organisation")
        if mo.kind in ("country", "capital") and self._is_head_noun(tok, COUNTRY_HEADS):
            holder = self.cat.executive_holder(mo.ref, self.day)
            if holder is not None:
                return self._person(holder, start, end, tok.i, "leader+country")
        return None
