"""Walk speed, side by side in one run: full `walk`, the compiled fast path, a
hand-written floor and the `rule-engine` package, over the same patients.

    make bench                                   # or:
    .venv/bin/python benchmarks/bench_walk.py [--patients 3000] [--seed 2024]

Patients are complete (every fact known), drawn from the schema with a fixed
seed (benchmarks/patients.py). Each contender is handed its input prepared
beforehand: the facts dict for the floor, the compiled screen and the rule
engine (sets as Python sets for it), a `Patient` for `walk` and `rrall.screen`.

`walk` returns its result built whole; it is timed twice: as called, and with
every field read, as the result's JSON form (`WalkResult.to_dict`, a dict of
fresh dicts and lists: what `rrall walk --format json` prints).

Timing: each patient is timed on its own: the call is repeated in a loop (50
times; 3 for the rule engine) and the loop's time divided by the repeats; each
call makes a new result, so nothing read in one call is there for the next.
The contenders take turns patient by patient, so a busy machine slows them alike. Reported: the median over
patients of that per-patient time and its mean, and their ratios to the
floor's and the rule engine's. The rule engine's times are bimodal (about 5x
slower for Ph-positive patients than Ph-negative ones), so its median jumps
with the sample; its mean is steadier. Every contender must give the same
option ids for every patient, or the run fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import rule_engine
from patients import cohort

import rrall
from rrall import RR_ALL, Patient, walk
from rrall.engine import compiled, to_json, walk_json, walk_result_to_dict, walk_three_valued

# -- (2) the floor: the same rules by hand, in plain Python ------------------

_PH_NEGATIVE_TAIL = ("flag-ida", "flam", "cytarabine-regimen", "alkylator-regimen")


def floor(facts: Mapping[str, Any]) -> tuple[str, ...]:
    """The R/R ALL text's option ids for a complete patient, written by hand."""
    options = []
    ph_negative = facts["ph"] == "negative"
    failed = len(facts["tkis_failed"])
    if ph_negative or failed:
        b_cell = facts["lineage"] == "B"
        age = facts["age"]
        if b_cell:
            if ph_negative or failed >= 2:
                options.append("blinatumomab")
            if age >= 18:
                options.append("inotuzumab-ozogamicin")
            if age <= 25:
                options.append("tisagenlecleucel")
            options.append("inotuzumab-mini-hyper-cvd")
        options.append("augmented-hyper-cvad")
        options.append("mopad" if facts["cd20"] == "negative" else "mopad-rituximab")
        if not b_cell:
            options.append("nelarabine")
        options.append("clofarabine")
        if ph_negative and age >= 18 and (facts["relapses"] >= 2 or facts["prior_therapies"] >= 2):
            options.append("vincristine-liposome")
        options.extend(_PH_NEGATIVE_TAIL)
    if not ph_negative:  # a TKI not yet received, whether a TKI failed or not
        received = facts["tkis_received"]
        if "dasatinib" not in received:
            options.append("dasatinib")
        if "ponatinib" not in received:
            options.append("ponatinib")
    options.append("allogeneic-sct")
    options.append("clinical-trial")
    return tuple(options)


# -- (3) the same rules for the rule-engine package ---------------------------

_REGIMENS = '(ph == "negative" or tkis_failed.length >= 1)'
_B_CELL = 'lineage == "B"'
RULE_TEXTS = {
    "blinatumomab": f'{_REGIMENS} and {_B_CELL} and (ph == "negative" or tkis_failed.length >= 2)',
    "inotuzumab-ozogamicin": f"{_REGIMENS} and {_B_CELL} and age >= 18",
    "tisagenlecleucel": f"{_REGIMENS} and {_B_CELL} and age <= 25",
    "inotuzumab-mini-hyper-cvd": f"{_REGIMENS} and {_B_CELL}",
    "augmented-hyper-cvad": _REGIMENS,
    "mopad": f'{_REGIMENS} and cd20 == "negative"',
    "mopad-rituximab": f'{_REGIMENS} and cd20 == "positive"',
    "nelarabine": f'{_REGIMENS} and lineage == "T"',
    "clofarabine": _REGIMENS,
    "vincristine-liposome": f'{_REGIMENS} and ph == "negative" and age >= 18 '
    "and (relapses >= 2 or prior_therapies >= 2)",
    "flag-ida": _REGIMENS,
    "flam": _REGIMENS,
    "cytarabine-regimen": _REGIMENS,
    "alkylator-regimen": _REGIMENS,
    "dasatinib": 'ph == "positive" and not "dasatinib" in tkis_received',
    "ponatinib": 'ph == "positive" and not "ponatinib" in tkis_received',
    "allogeneic-sct": "true",
    "clinical-trial": "true",
}
RULES = tuple((option_id, rule_engine.Rule(text)) for option_id, text in RULE_TEXTS.items())


def by_rule_engine(record: Mapping[str, Any]) -> tuple[str, ...]:
    """The option ids whose rule matches ``record``."""
    return tuple(option_id for option_id, rule in RULES if rule.matches(record))


def _for_rule_engine(facts: Mapping[str, Any]) -> dict[str, Any]:
    return {name: set(value) if isinstance(value, frozenset) else value for name, value in facts.items()}


# -- the run --------------------------------------------------------------------


def _per_call(function: Callable[[Any], object], argument: Any, repeats: int) -> float:
    """Seconds per call of ``function(argument)``, from a loop of ``repeats`` calls."""
    loop = range(repeats)
    start = time.perf_counter()
    for _ in loop:
        function(argument)
    return (time.perf_counter() - start) / repeats


def _full_walk(patient: Patient) -> tuple[str, ...]:
    return walk(patient).option_ids


def _walk_every_field_read(patient: Patient) -> object:
    """`walk`, then every field read: the result as the command line's JSON (a dict)."""
    return walk_result_to_dict(walk(patient))


def _walk_json(patient: Patient) -> str:
    """`walk`, every field read, as the JSON text ``rrall walk --format json`` prints."""
    return walk_json(patient, RR_ALL)


def first_sight(patients: list[Patient]) -> tuple[float, float]:
    """Median and mean seconds of `walk`, every field read, for patients each seen once by a
    fresh guideline (its cache empty at the start): what a cohort of new classes costs."""
    fresh = attrs.evolve(RR_ALL)
    times = []
    for patient in patients:
        start = time.perf_counter()
        walk_result_to_dict(walk(patient, fresh))
        times.append(time.perf_counter() - start)
    return statistics.median(times), statistics.mean(times)


def run(patients: int, seed: int) -> list[tuple[str, str, float, float]]:
    """(name, what it returns, median and mean seconds per patient) for each contender."""
    facts = cohort(RR_ALL, patients, seed=seed)
    records = [Patient(**f) for f in facts]  # type: ignore[arg-type]
    partial = [Patient(**f) for f in cohort(RR_ALL, patients, seed=seed + 1, unknown=0.3)]  # type: ignore[arg-type]
    for_engine = [_for_rule_engine(f) for f in facts]
    contenders: list[tuple[str, str, Callable[[Any], Any], list[Any], int]] = [
        ("hand-written floor", "ids, from the facts dict", floor, facts, 50),
        ("compiled screen", "ids, from the facts dict", compiled(RR_ALL).screen, facts, 50),
        ("rrall.screen", "ids, from a Patient", rrall.screen, records, 50),
        ("walk", "full WalkResult, from a Patient", walk, records, 50),
        (
            "walk, every field read",
            "the same, as a dict (every field read)",
            _walk_every_field_read,
            records,
            50,
        ),
        (
            "walk, as JSON text",
            "the same, as the text `rrall walk` prints",
            _walk_json,
            records,
            50,
        ),
        (
            "walk, 30% unknown, every field read",
            "the same, 30% of facts unknown",
            _walk_every_field_read,
            partial,
            50,
        ),
        ("rule-engine", "ids, from the facts dict", by_rule_engine, for_engine, 3),
    ]
    answers = {
        "hand-written floor": [floor(f) for f in facts],
        "compiled screen": [compiled(RR_ALL).screen(f) for f in facts],
        "rrall.screen": [rrall.screen(p) for p in records],
        "walk": [_full_walk(p) for p in records],
        "walk, every field read": [_full_walk(p) for p in records],
        "rule-engine": [by_rule_engine(r) for r in for_engine],
    }
    expected = answers["walk"]
    for patient in [*records, *partial]:
        defined = walk_three_valued(RR_ALL, RR_ALL.schema.facts_of(patient))
        if walk(patient) != defined or walk(patient).to_dict() != defined.to_dict():
            raise SystemExit(f"DISAGREEMENT with the three-valued walk on {patient}")
        if _walk_json(patient) != to_json(defined.to_dict()):
            raise SystemExit(f"DISAGREEMENT with the three-valued walk's JSON text on {patient}")
    for name, got in answers.items():
        for index, (mine, theirs) in enumerate(zip(got, expected, strict=True)):
            if mine != theirs:
                raise SystemExit(
                    f"DISAGREEMENT on patient {index} {facts[index]}:\n  {name}: {mine}\n  walk: {theirs}"
                )
    times: dict[str, list[float]] = {name: [] for name, *_ in contenders}
    for index in range(patients):
        for name, _, function, inputs, repeats in contenders:
            times[name].append(_per_call(function, inputs[index], repeats))
    return [
        (name, what, statistics.median(times[name]), statistics.mean(times[name]))
        for name, what, *_ in contenders
    ]


def table(rows: list[tuple[str, str, float, float]]) -> str:
    """Medians and means per patient, and their ratios to the floor's and the rule engine's."""
    floor_median, floor_mean = rows[0][2:]
    engine_median, engine_mean = rows[-1][2:]
    lines = [
        "| contender | returns | median | mean | × floor (median, mean) | rule-engine ÷ it (median, mean) |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, what, median, mean in rows:
        lines.append(
            f"| {name} | {what} | {median * 1e6:,.2f} µs | {mean * 1e6:,.2f} µs "
            f"| {median / floor_median:,.2f}, {mean / floor_mean:,.2f} "
            f"| {engine_median / median:,.1f}, {engine_mean / mean:,.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    rows = run(args.patients, args.seed)
    print(f"{args.patients} random complete patients (seed {args.seed}); all contenders agree on every one.")
    print(
        f"Python {sys.version.split()[0]}, rrall {rrall.__version__}, rule-engine {rule_engine.__version__}"
    )
    print()
    print(table(rows))
    by_name = {name: (median, mean) for name, _, median, mean in rows}
    full = by_name["walk, every field read"]
    partial = by_name["walk, 30% unknown, every field read"]
    engine = by_name["rule-engine"]
    print()
    ratios = [
        ("30% unknown ÷ complete, every field read", partial, full, ".2f"),
        ("rule-engine ÷ walk with every field read", engine, full, ".1f"),
    ]
    for label, top, bottom, shown in ratios:
        print(f"{label}: {top[0] / bottom[0]:{shown}}x median, {top[1] / bottom[1]:{shown}}x mean")
    screen = by_name["rrall.screen"]
    floor_ = by_name["hand-written floor"]
    print(f"rrall.screen ÷ floor: {screen[0] / floor_[0]:.2f}x median, {screen[1] / floor_[1]:.2f}x mean")
    records = [Patient(**f) for f in cohort(RR_ALL, args.patients, seed=args.seed + 2, unknown=0.3)]  # type: ignore[arg-type]
    cold = first_sight(records)
    print(
        f"first sight (a fresh cache, each patient once), 30% unknown, every field read: "
        f"{cold[0] * 1e6:,.1f} µs median, {cold[1] * 1e6:,.1f} µs mean"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
