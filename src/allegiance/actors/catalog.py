"""The actor catalog: states, organisations, people with dated roles, agent nouns and titles.

Built-in YAML files under ``allegiance/data/actors/`` are merged with the user's own files
(``--actors FILE``): a user entry with the same canonical name replaces the built-in one, and a
user's surface form wins over a built-in one. `validate` checks a file against the schema and
names the entry at fault. Besides lookup tables the catalog answers "who held this office on this
day" (`Catalog.holders`, `Catalog.executive_holder`), for titles composed with a country or an
organisation ("the US secretary of state", "the Hezbollah leader", "the UN chief").
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .. import data
from ..errors import CatalogError
from ..geonames import memo, source_key
from ..models import NONSTATE_CODES, SECTORS

__all__ = ["Catalog", "Entity", "Role", "load_catalog", "validate", "BUILTIN_FILES"]

BUILTIN_FILES = ("countries.yaml", "organisations.yaml", "people.yaml", "agents.yaml")
# Kosovo has no official ISO 3166-1 code: PLOVER (and the shared gold) write it KOS; places give KOS too.
EXTRA_CODES = NONSTATE_CODES | {"KOS"}
# who leads a country when its executive is not given in countries.yaml (GOV roles only)
DEFAULT_EXECUTIVE = ("supreme leader", "head of state", "president", "king", "emir", "sultan",
                     "prime minister", "chancellor")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as text, so a bad date is reported, not raised by PyYAML."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@dataclass(frozen=True)
class Role:
    """A dated affiliation: ``country``/``sector`` held from ``start`` to ``end`` (ISO dates)."""

    country: str | None
    sector: str | None
    title: str | None = None
    start: str | None = None
    end: str | None = None
    org: str | None = None  # canonical name of the organisation the office belongs to

    def covers(self, day: str | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Entity:
    """A named actor: a state, an organisation or a person."""

    name: str
    kind: str  # state | organisation | person
    country: str | None
    sector: str | None
    id: str | None = None
    roles: list[Role] = field(default_factory=list)
    office: tuple[str, str] | None = None  # (title, org) for an entry that names an office

    def at(self, day: str | None) -> tuple[str | None, str | None, str | None]:
        """(country, sector, title) on ``day``; the latest role if no role covers the day.

        When several roles cover the day (a handover day), the one that started last wins.
        """
        if not self.roles:
            return self.country, self.sector, None
        covering = [r for r in self.roles if r.covers(day)]
        if covering:
            role = max(covering, key=lambda r: r.start or "")
            return role.country, role.sector, role.title
        if day is not None:  # nearest role before the day, else the first
            before = [r for r in self.roles if r.start and r.start <= day]
            role = max(before, key=lambda r: r.start or "") if before else self.roles[0]
        else:
            role = self.roles[-1]
        return role.country, role.sector, role.title


@dataclass
class Catalog:
    """Lookup tables built from the catalog files."""

    states: dict[str, Entity] = field(default_factory=dict)            # iso3 -> state entity
    forms: dict[str, list[tuple[str, str, Any]]] = field(default_factory=dict)  # surface -> [(kind, case, ref)]
    agents: dict[str, str] = field(default_factory=dict)               # lower term -> sector
    titles: dict[str, str] = field(default_factory=dict)               # lower title -> sector
    regional: set[str] = field(default_factory=set)                    # lower regional constructs
    people: list[Entity] = field(default_factory=list)
    organisations: list[Entity] = field(default_factory=list)
    title_roles: dict[str, str] = field(default_factory=dict)          # lower title -> role title
    executive: dict[str, list[tuple[str, str | None, str | None]]] = field(default_factory=dict)
    _by_title: dict[str, list[tuple[Entity, Role]]] | None = field(default=None, repr=False)
    _by_name: dict[tuple[str, str], Entity] | None = field(default=None, repr=False)

    def named(self, kind: str, name: str | None) -> Entity | None:
        """The person or organisation (``kind``) with this canonical name (the first, if several)."""
        if self._by_name is None:
            table: dict[tuple[str, str], Entity] = {}
            for ent in self.people:
                table.setdefault(("person", ent.name), ent)
            for ent in self.organisations:
                table.setdefault(("organisation", ent.name), ent)
            self._by_name = table
        return self._by_name.get((kind, name)) if name else None

    def add_form(self, text: str, kind: str, ref: Any, *, case_sensitive: bool, first: bool = False) -> None:
        """Register a surface form; ``first`` puts it ahead of earlier ones (user files win)."""
        text = " ".join(str(text).split())
        if not text:
            return
        key = text if case_sensitive else text.lower()
        refs = self.forms.setdefault(key, [])
        entry = (kind, "cs" if case_sensitive else "ci", ref)
        refs.insert(0, entry) if first else refs.append(entry)

    def drop_refs(self, ref: Any) -> None:
        """Forget every surface form that points at ``ref`` (a replaced entity)."""
        for key in list(self.forms):
            kept = [r for r in self.forms[key] if r[2] is not ref]
            if kept:
                self.forms[key] = kept
            else:
                del self.forms[key]

    def role_title(self, title: str) -> str:
        """The role vocabulary's word for a title ("secretary of state" → "foreign minister")."""
        return self.title_roles.get(title, title)

    def _roles_with(self, title: str) -> list[tuple[Entity, Role]]:
        if self._by_title is None:
            index: dict[str, list[tuple[Entity, Role]]] = {}
            for person in self.people:
                for role in person.roles:
                    if role.title:
                        index.setdefault(role.title, []).append((person, role))
            self._by_title = index
        return self._by_title.get(title, [])

    def holders(self, title: str, country: str | None, day: str | None, *, org: str | None = None,
                sector: str | None = "any") -> list[Entity]:
        """People holding ``title`` for ``country`` (or for organisation ``org``) on ``day``."""
        found: list[Entity] = []
        for person, role in self._roles_with(self.role_title(title)):
            if org is not None:
                if role.org != org:
                    continue
            elif role.country != country:
                continue
            if sector != "any" and role.sector != sector:
                continue
            if role.covers(day) and person not in found:
                found.append(person)
        return found

    def executive_holder(self, country: str, day: str | None) -> Entity | None:
        """Who leads ``country`` on ``day`` ("the Russian leader"), if one person does."""
        titles: list[str] = []
        for title, start, end in self.executive.get(country, []):
            if day is None or ((start is None or start <= day) and (end is None or day < end)):
                titles.append(title)
        for title in titles or DEFAULT_EXECUTIVE:
            found = self.holders(title, country, day, sector="GOV")
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def invalidate(self) -> None:
        self._by_title = None


def _load_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise CatalogError(f"not valid YAML ({exc})", file=str(path)) from exc
    except (ValueError, TypeError) as exc:
        raise CatalogError(f"invalid value ({exc})", file=str(path)) from exc
    except OSError as exc:
        raise CatalogError(f"cannot read ({exc.strerror})", file=str(path)) from exc


def _iso(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return date.fromisoformat(str(value)).isoformat()


@cache
def _known_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes (pycountry) plus the codes of the built-in countries file."""
    import pycountry

    codes = {c.alpha_3 for c in pycountry.countries}
    try:
        doc = _load_yaml(data.path("actors", "countries.yaml"))
        codes |= {e["iso3"] for e in doc if isinstance(e, dict) and e.get("iso3")}
    except CatalogError:
        pass
    return frozenset(codes)


def _check_code(country: Any, sector: Any, where: str, path: Path, states: set[str]) -> list[str]:
    errs = []
    if country is not None and country not in states and country not in EXTRA_CODES:
        hint = " (Kosovo is KOS, as PLOVER writes it)" if country == "XKX" else ""
        errs.append(f"{path.name}:{where}: unknown country code {country!r}{hint}")
    if sector is not None and sector not in SECTORS:
        errs.append(f"{path.name}:{where}: unknown sector code {sector!r}")
    return errs


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and (sum(c.isupper() for c in letters) >= max(2, len(letters) - 1) or len(text) <= 3)


def _entries(doc: Any, path: Path, key: str | None = None) -> list[dict[str, Any]]:
    if key and isinstance(doc, dict):
        doc = doc.get(key) or []
    if not isinstance(doc, list):
        raise CatalogError("expected a list of entries", file=str(path))
    return doc


def _bad_date(value: Any) -> bool:
    try:
        _iso(value)
    except ValueError:
        return True
    return False


def validate(path: Path, kind: str | None = None, states: Iterable[str] = ()) -> list[str]:
    """Check one catalog file; RETURNS a list of error messages (empty when valid).

    Country codes are checked against ``states`` when given, else against ISO 3166-1 and the
    built-in countries file.
    """
    path = Path(path)
    errs: list[str] = []
    try:
        doc = _load_yaml(path)
    except CatalogError as exc:
        return [str(exc)]
    kind = kind or _kind_of(path, doc)
    known = set(states) or set(_known_codes())
    if kind == "countries":
        import pycountry

        seen = set()
        for n, e in enumerate(_entries(doc, path), 1):
            iso3 = e.get("iso3") if isinstance(e, dict) else None
            if not iso3 or not e.get("name"):
                errs.append(f"{path.name}:entry {n}: needs 'iso3' and 'name'")
                continue
            if iso3 in seen:
                errs.append(f"{path.name}:{iso3}: duplicate iso3")
            seen.add(iso3)
            if iso3 not in EXTRA_CODES and pycountry.countries.get(alpha_3=iso3) is None:
                errs.append(f"{path.name}:{iso3}: not an ISO 3166-1 alpha-3 code")
            for m in e.get("metonyms") or []:
                if m.get("sector") not in SECTORS:
                    errs.append(f"{path.name}:{iso3}: metonym {m.get('text')!r} has bad sector")
            for x in _executive_entries(e.get("executive")):
                if not x.get("title") or _bad_date(x.get("from")) or _bad_date(x.get("to")):
                    errs.append(f"{path.name}:{iso3}: executive entries need a title and YYYY-MM-DD dates")
        return errs
    if kind == "agents":
        if not isinstance(doc, dict) or "agents" not in doc:
            return [f"{path.name}: expected a mapping with 'agents'"]
        for n, group in enumerate((doc.get("agents") or []) + (doc.get("titles") or []), 1):
            if group.get("sector") not in SECTORS:
                errs.append(f"{path.name}:group {n}: unknown sector {group.get('sector')!r}")
            if not group.get("terms"):
                errs.append(f"{path.name}:group {n}: no terms")
        if not isinstance(doc.get("title_roles") or {}, dict):
            errs.append(f"{path.name}: 'title_roles' must map a title to a role title")
        return errs
    for n, e in enumerate(_entries(doc, path), 1):
        name = e.get("name") if isinstance(e, dict) else None
        where = name or f"entry {n}"
        if not name:
            errs.append(f"{path.name}:entry {n}: needs 'name'")
            continue
        if not isinstance(e.get("aliases", []), list):
            errs.append(f"{path.name}:{where}: 'aliases' must be a list")
        if kind == "people":
            if not e.get("roles"):
                errs.append(f"{path.name}:{where}: a person needs 'roles'")
            for r in e.get("roles") or []:
                errs += _check_code(r.get("country"), r.get("sector"), where, path, known)
                try:
                    start, end = _iso(r.get("from")), _iso(r.get("to"))
                except ValueError:
                    errs.append(f"{path.name}:{where}: role dates must be YYYY-MM-DD "
                                f"(got from={r.get('from')!s}, to={r.get('to')!s})")
                    continue
                if start and end and start > end:
                    errs.append(f"{path.name}:{where}: role ends before it starts")
        else:
            errs += _check_code(e.get("country"), e.get("sector"), where, path, known)
            for p in e.get("periods") or []:
                errs += _check_code(p.get("country"), p.get("sector"), where, path, known)
                if _bad_date(p.get("from")) or _bad_date(p.get("to")):
                    errs.append(f"{path.name}:{where}: period dates must be YYYY-MM-DD "
                                f"(got from={p.get('from')!s}, to={p.get('to')!s})")
            office = e.get("office")
            if office is not None and not (isinstance(office, dict) and office.get("title") and office.get("org")):
                errs.append(f"{path.name}:{where}: 'office' needs 'title' and 'org'")
        if e.get("id") is not None and not str(e["id"]).startswith("Q"):
            errs.append(f"{path.name}:{where}: id must be a Wikidata Q-id")
    return errs


def _executive_entries(value: Any) -> list[dict[str, Any]]:
    """countries.yaml ``executive``: a title, or a list of {title, from, to}."""
    if value is None:
        return []
    if isinstance(value, str):
        return [{"title": value}]
    return [x if isinstance(x, dict) else {"title": x} for x in value]


def _add_countries(cat: Catalog, doc: Any, path: Path, user: bool = False) -> None:
    def add(form: str, kind: str, ref: Any) -> None:
        cat.add_form(form, kind, ref, case_sensitive=True, first=user)

    for e in _entries(doc, path):
        iso3 = e["iso3"]
        state = Entity(name=e["name"], kind="state", country=iso3, sector=None, id=e.get("id"))
        cat.states[iso3] = state
        cat.executive[iso3] = [(str(x["title"]), _iso(x.get("from")), _iso(x.get("to")))
                               for x in _executive_entries(e.get("executive"))]
        for form in [e["name"], *(e.get("aliases") or [])]:
            add(form, "country", iso3)
            if not form.lower().startswith("the "):
                add(f"the {form}", "country", iso3)
        for form in e.get("adjectives") or []:
            add(form, "adjective", iso3)
        for form in e.get("demonyms") or []:
            add(form, "demonym", iso3)
        for form in e.get("capitals") or []:
            add(form, "capital", iso3)
        for m in e.get("metonyms") or []:
            text = m["text"]
            add(text, "metonym", (iso3, m["sector"]))
            if text.lower().startswith("the "):
                add(text[4:], "metonym", (iso3, m["sector"]))
                add("The " + text[4:], "metonym", (iso3, m["sector"]))


def _add_named(cat: Catalog, doc: Any, path: Path, kind: str, user: bool = False) -> None:
    pool = cat.people if kind == "person" else cat.organisations
    by_name = {ent.name: ent for ent in pool}
    for e in _entries(doc, path):
        if kind == "person":
            roles = [Role(r.get("country"), r.get("sector"), r.get("title"), _iso(r.get("from")),
                          _iso(r.get("to")), r.get("org")) for r in e.get("roles") or []]
            roles.sort(key=lambda r: r.start or "")
            ent = Entity(e["name"], "person", roles[-1].country if roles else None,
                         roles[-1].sector if roles else None, e.get("id"), roles)
        else:
            periods = [Role(p.get("country", e.get("country")), p.get("sector", e.get("sector")), None,
                            _iso(p.get("from")), _iso(p.get("to"))) for p in e.get("periods") or []]
            roles = []
            if periods:  # the base coding holds outside the dated periods
                first = min(p.start or "0000" for p in periods)
                roles.append(Role(e.get("country"), e.get("sector"), None, None, first))
                roles += periods
            office = e.get("office")
            ent = Entity(e["name"], "organisation", e.get("country"), e.get("sector"), e.get("id"), roles,
                         (str(office["title"]), str(office["org"])) if office else None)
        if e["name"] in by_name:  # a user entry replaces the built-in one, in the forms too
            old = by_name[e["name"]]
            pool.remove(old)
            cat.drop_refs(old)
        by_name[e["name"]] = ent
        pool.append(ent)
        forced = bool(e.get("case_sensitive"))
        for form in [e["name"], *(e.get("aliases") or [])]:
            form = str(form)
            cs = True if kind == "person" else (forced or _is_acronym(form) or form[:1].isupper())
            cat.add_form(form, kind, ent, case_sensitive=cs, first=user)
            if kind == "organisation" and not form.lower().startswith("the ") and not _is_acronym(form):
                cat.add_form(f"the {form}", kind, ent, case_sensitive=cs, first=user)
                cat.add_form(f"The {form}", kind, ent, case_sensitive=cs, first=user)
    cat.invalidate()


def _add_agents(cat: Catalog, doc: Any) -> None:
    for group in doc.get("agents") or []:
        for term in group.get("terms") or []:
            cat.agents[str(term).lower()] = group["sector"]
    for group in doc.get("titles") or []:
        for term in group.get("terms") or []:
            cat.titles[str(term).lower()] = group["sector"]
    for term, role in (doc.get("title_roles") or {}).items():
        cat.title_roles[str(term).lower()] = str(role)
    for term in doc.get("regional_constructs") or []:
        cat.regional.add(str(term).lower())


def _kind_of(path: Path, doc: Any) -> str:
    stem = path.stem.lower()
    for kind in ("countries", "organisations", "people", "agents"):
        if kind in stem:
            return kind
    if isinstance(doc, dict) and "agents" in doc:
        return "agents"
    if isinstance(doc, list) and doc and isinstance(doc[0], dict):
        if "iso3" in doc[0]:
            return "countries"
        if "roles" in doc[0]:
            return "people"
    return "organisations"


@cache
def load_catalog(extra: Sequence[str] = ()) -> Catalog:
    """Load the built-in catalog plus the user's files (given as a tuple of paths), once.

    A successful load is kept in the user cache (`allegiance.geonames.memo`), keyed by the
    files' bytes and this code; errors are raised by parsing, as without the cache."""
    paths = [data.path("actors", f) for f in BUILTIN_FILES] + [Path(p) for p in extra]
    key = source_key(paths, ("actors/catalog.py", "models.py", "errors.py"))
    if key is None:
        return _load_catalog(paths)
    if extra:  # user files are checked against ISO 3166 (pycountry) too
        key.append(_known_codes_version())
    return memo("catalog", key, lambda: _load_catalog(paths))


def _known_codes_version() -> str:
    import pycountry

    try:
        import importlib.metadata

        return importlib.metadata.version("pycountry")
    except Exception:
        return str(getattr(pycountry, "__version__", "-"))


def _load_catalog(paths: list[Path]) -> Catalog:
    """Parse, check and merge the catalog files (built-in first, then the user's)."""
    cat = Catalog()
    order = {"countries": 0, "agents": 1, "organisations": 2, "people": 3}
    loaded = []
    for p in paths:
        if not p.exists():
            if p in paths[len(BUILTIN_FILES):]:
                raise CatalogError("no such file", file=str(p))
            continue
        doc = _load_yaml(p)
        loaded.append((order[_kind_of(p, doc)], p, doc))
    builtin_dir = data.path("actors")
    for kind_no, p, doc in sorted(loaded, key=lambda x: x[0]):
        kind = [k for k, v in order.items() if v == kind_no][0]
        user = p.parent != builtin_dir
        errs = validate(p, kind, cat.states.keys()) if user else []
        if errs:
            raise CatalogError("; ".join(errs[:5]), file=str(p))
        try:
            if kind == "countries":
                _add_countries(cat, doc, p, user)
            elif kind == "agents":
                _add_agents(cat, doc)
            else:
                _add_named(cat, doc, p, "person" if kind == "people" else "organisation", user)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CatalogError(f"invalid entry ({exc!r})", file=str(p)) from exc
    return cat
