"""Command line of the corpus tools; ``python -m allegiance.corpus --help``."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections import Counter
from pathlib import Path

from .plan import SPLITS, check_file, load_plan, read_jsonl, shelved_files, split_files
from .schema import is_article
from .stats import agreement, counts, markdown, shortfalls

EXAMPLES = """examples:
  python -m allegiance.corpus check corpus/drafts/w01.jsonl      # a draft: offsets, fields, leaks
  python -m allegiance.corpus build                               # drafts -> the six split files
  python -m allegiance.corpus validate --strict                   # all files; fail below the targets
  python -m allegiance.corpus stats --markdown                    # tables for corpus/README.md
  python -m allegiance.corpus weekday 2019-05-03 Tuesday          # most recent Tuesday on or before
  python -m allegiance.corpus sample -o corpus/review/blind.jsonl # 10% of train+dev, text only
  python -m allegiance.corpus agreement corpus/review/second.jsonl
"""


def _root(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    for base in (Path.cwd(), *Path.cwd().parents):
        if (base / "corpus" / "plan.yaml").is_file():
            return base / "corpus"
    sys.exit("corpus/plan.yaml not found here or above; give --root")


def _emit(errors: list[str], limit: int = 200) -> None:
    for e in errors[:limit]:
        print(e, file=sys.stderr)
    if len(errors) > limit:
        print(f"... and {len(errors) - limit} more", file=sys.stderr)


def cmd_check(args) -> int:
    root = _root(args.root)
    plan = load_plan(root)
    all_errors, n_items, n_events = [], 0, 0
    seen: Counter = Counter()
    for f in args.files:
        if not Path(f).exists():
            all_errors.append(f"{f}: no such file")
            continue
        items, errors = check_file(Path(f), plan, split=args.split)
        all_errors += errors
        n_items += len(items)
        n_events += sum(len(i.get("events") or []) for i in items)
        seen.update(i.get("id") for i in items)
    all_errors += [f"id {i!r} is used {n} times" for i, n in seen.items() if n > 1]
    _emit(all_errors)
    print(f"{n_items} items, {n_events} events, {len(all_errors)} problems", file=sys.stderr)
    return 1 if all_errors else 0


def _load_all(root: Path) -> tuple[dict[str, list[dict]], list[str]]:
    plan = load_plan(root)
    groups, errors = {}, []
    for (kind, split), path in split_files(root).items():
        label = split if kind == "items" else f"articles-{split}"
        if not path.exists():
            errors.append(f"{path}: missing")
            groups[label] = []
            continue
        items, errs = check_file(path, plan, split=split, article=(kind == "articles"))
        groups[label] = items
        errors += errs
    ids = Counter(i.get("id") for items in groups.values() for i in items)
    errors += [f"id {i!r} is used {n} times in the corpus" for i, n in ids.items() if n > 1]
    return groups, errors


def cmd_validate(args) -> int:
    root = _root(args.root)
    groups, errors = _load_all(root)
    _emit(errors)
    c = counts(groups)
    for label, v in c["files"].items():
        print(f"{label:>16}: {v['items']:5d} items {v['events']:5d} events {v['negatives']:4d} negative",
              file=sys.stderr)
    print(f"total: {c['total_items']} items, {c['total_articles']} articles, {c['total_events']} events, "
          f"negative items {c['negative_share']:.1%}, test events {c['test_event_share']:.1%}, "
          f"{c['n_countries']} countries; {len(errors)} problems", file=sys.stderr)
    miss = shortfalls(c)
    for m in miss:
        print(f"below target: {m}", file=sys.stderr)
    return 1 if errors or (args.strict and miss) else 0


def cmd_stats(args) -> int:
    root = _root(args.root)
    groups, errors = _load_all(root)
    c = counts(groups)
    if args.markdown:
        print(markdown(c))
    else:
        print(json.dumps({k: v for k, v in c.items() if k not in ("countries",)}, default=dict, indent=1))
    return 0


def cmd_build(args) -> int:
    root = _root(args.root)
    plan = load_plan(root)
    drafts = root / "drafts"
    if not drafts.is_dir() or not any(drafts.glob("*.jsonl")):
        print(f"{drafts}: no drafts; the split files are the corpus (edit them and run `validate`)",
              file=sys.stderr)
        return 2
    out: dict[tuple[str, str], list[dict]] = {key: [] for key in split_files(root)}
    shelf: dict[str, list[dict]] = {"items": [], "articles": []}
    errors: list[str] = []
    drafted = {name for name in plan.slices if any(drafts.glob(f"{name}*.jsonl"))}
    kept = 0
    # a slice with no draft here keeps its compiled rows: building one new slice's drafts must
    # never drop the slices whose drafts live elsewhere (the split files are the corpus)
    for key, path in list(split_files(root).items()) + [(("shelf", k), p) for k, p in shelved_files(root).items()]:
        for _, row, _err in (read_jsonl(path) if path.exists() else ()):
            if row is None or str(row.get("id", "")).split("-")[0] in drafted:
                continue
            (shelf[key[1]] if key[0] == "shelf" else out[key]).append(row)
            kept += 1
    for name, sl in sorted(plan.slices.items()):
        for path in sorted(drafts.glob(f"{name}*.jsonl")):
            items, errs = check_file(path, plan, split=sl.split, allow_shelved=True)
            errors += errs
            for item in items:
                kind = "articles" if is_article(item) else "items"
                if item.get("scenario") in plan.shelved:
                    shelf[kind].append(item)
                else:
                    out[(kind, sl.split)].append(item)
    ids = Counter(i.get("id") for items in out.values() for i in items)
    errors += [f"id {i!r} is used {n} times" for i, n in ids.items() if n > 1]
    _emit(errors)
    if kept:
        print(f"kept {kept} compiled rows of slices with no draft in {drafts}", file=sys.stderr)
    if errors and not args.keep_going:
        print(f"{len(errors)} problems: nothing written (--keep-going writes the valid items)", file=sys.stderr)
        return 1
    bad_ids = {e.split(": ")[1] for e in errors if e.count(": ") >= 2}
    for key, path in split_files(root).items():
        rows = [i for i in out[key] if i.get("id") not in bad_ids]
        rows.sort(key=lambda i: i["id"])
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{path}: {len(rows)}", file=sys.stderr)
    for kind, path in shelved_files(root).items():
        rows = sorted((i for i in shelf[kind] if i.get("id") not in bad_ids), key=lambda i: i["id"])
        if rows or path.exists():
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                            encoding="utf-8")
            print(f"{path}: {len(rows)} (shelved: in no split)", file=sys.stderr)
    return 0


def cmd_weekday(args) -> int:
    day = dt.date.fromisoformat(args.date)
    names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    want = args.weekday.lower()
    if want not in names:
        sys.exit(f"weekday must be one of {', '.join(names)}")
    back = (day.weekday() - names.index(want)) % 7
    print((day - dt.timedelta(days=back)).isoformat(), f"(publication {day:%A %Y-%m-%d})")
    return 0


def _sample_groups(root: Path, slices: list[str] | None) -> list[tuple[str, list[dict]]]:
    """(name, items) groups to sample from: each slice's drafts, or the train and dev files."""
    plan = load_plan(root)
    groups = []
    if slices:
        for name in slices:
            sl = plan.slices.get(name)
            if sl is None:
                raise ValueError(f"no slice {name!r} in plan.yaml")
            if sl.split == "test":
                raise ValueError(f"slice {name} is test data: it is never sampled for review")
            for suffix in ("", "-articles"):
                path = root / "drafts" / f"{name}{suffix}.jsonl"
                if path.exists():
                    groups.append((f"{name}{suffix}", [o for _, o, e in read_jsonl(path) if o]))
        return groups
    for split in ("train", "dev"):
        for kind in ("items", "articles"):
            path = split_files(root)[(kind, split)]
            groups.append((f"{split}-{kind}", [o for _, o, e in read_jsonl(path) if o] if path.exists() else []))
    return groups


def cmd_sample(args) -> int:
    root = _root(args.root)
    rows = []
    for name, items in _sample_groups(root, args.slices):
        rng = random.Random(f"{args.seed}:{name}")
        k = max(1, round(len(items) * args.fraction)) if items else 0
        for item in sorted(rng.sample(items, k), key=lambda i: i["id"]):
            rows.append({"id": item["id"], "date": item["date"], "text": item["text"],
                         "scenario": item["scenario"], "register": item["register"],
                         **({"sides": [], "hostile_pairs": []} if is_article(item) else {})})
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{args.output}: {len(rows)} texts (ids only of train and dev)", file=sys.stderr)
    return 0


def cmd_agreement(args) -> int:
    root = _root(args.root)
    first = {}
    for split in ("train", "dev"):
        for kind in ("items", "articles"):
            path = split_files(root)[(kind, split)]
            if path.exists():
                first.update({o["id"]: o for _, o, e in read_jsonl(path) if o})
    if args.drafts:
        from .schema import compile_item

        for path in sorted((root / "drafts").glob("*.jsonl")):
            if path.name.startswith(("w", "d")):
                for _, o, e in read_jsonl(path):
                    if o:
                        first.setdefault(o["id"], compile_item(o)[0])
    plan = load_plan(root)
    second_items, errors = check_file(Path(args.second), plan)
    _emit(errors)
    second = {i["id"]: i for i in second_items}
    groups = {"items": ({k: v for k, v in first.items() if k in second and not is_article(v)}),
              "articles": ({k: v for k, v in first.items() if k in second and is_article(v)})}
    result = {name: agreement(g, second) for name, g in groups.items()}
    result["all"] = agreement({k: v for k, v in first.items() if k in second}, second)
    print(json.dumps(result, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m allegiance.corpus", description=__doc__,
                                 epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", help="the corpus folder (default: ./corpus or the nearest one above)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("check", help="compile and check drafts or corpus files")
    p.add_argument("files", nargs="+")
    p.add_argument("--split", choices=SPLITS, help="the split these files belong to (checks leaks)")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("build", help="compile corpus/drafts/* into the six split files")
    p.add_argument("--keep-going", action="store_true", help="write the valid items despite problems")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("validate", help="check the six split files and print counts")
    p.add_argument("--strict", action="store_true", help="also fail when a target of issue 11 is not met")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("stats", help="counts per split, type, mode, register and tag")
    p.add_argument("--markdown", action="store_true")
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("weekday", help="the date of the most recent WEEKDAY on or before DATE")
    p.add_argument("date")
    p.add_argument("weekday")
    p.set_defaults(func=cmd_weekday)
    p = sub.add_parser("sample", help="a random share of train and dev texts for blind second coding")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--fraction", type=float, default=0.10)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--slices", nargs="*", help="sample these slices' drafts (train/dev only)")
    p.set_defaults(func=cmd_sample)
    p = sub.add_parser("agreement", help="type and dyad F1 of a blind second coding against the corpus")
    p.add_argument("second")
    p.add_argument("--drafts", action="store_true", help="compare with the train/dev drafts too")
    p.set_defaults(func=cmd_agreement)
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
