"""Whether a patient's start is consistent is compiled from the schema's constraints: for a
patient whose facts the constraints read are all known it says exactly what `Knowledge` says
(``Knowledge.of(schema, facts).consistent``), and otherwise it asks the walk's memo.

Facts here are drawn fact by fact, ignoring the constraints (a record may break them), known or
unknown; constraints are drawn too, of every shape, over the facts of R/R ALL and of the toy
triage guideline (examples/toy_triage), which has none of its own.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
from hypothesis import given
from hypothesis import strategies as st

from rrall import RR_ALL
from rrall.engine import (
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Boolean,
    Choice,
    Condition,
    Contains,
    CountAtLeast,
    Guideline,
    Implies,
    Integer,
    Is,
    Knowledge,
    Measure,
    Not,
    Schema,
    Subset,
    SubsetOf,
    Value,
    compiled,
)
from rrall.engine.model._conditions import facts_read
from rrall.engine.model._schema import Fact
from rrall.engine.walk._compile import compile_consistency, consistency_source
from test_toy_guideline import TOY_TRIAGE

Facts = Mapping[str, Value | None]
NAMES = ("imatinib", "dasatinib", "ponatinib", "nilotinib", "bosutinib", "asparaginase")


def _value(fact: Fact) -> st.SearchStrategy[Value]:
    """Any value of ``fact``'s kind within its bounds (choices: its values, or another word)."""
    if isinstance(fact, Boolean):
        return st.booleans()
    if isinstance(fact, Choice):
        return st.sampled_from([*fact.values, "other"])
    if isinstance(fact, Integer):
        return st.integers(fact.minimum, fact.maximum)
    if isinstance(fact, Measure):
        return st.floats(fact.minimum, fact.maximum) | st.integers(int(fact.minimum) + 1, int(fact.maximum))
    assert isinstance(fact, Subset)
    return st.frozensets(st.sampled_from(fact.universe or NAMES))


def _facts(schema: Schema, unknown: float) -> st.SearchStrategy[dict[str, Value | None]]:
    """Facts of ``schema``, each unknown with about the chance ``unknown``, constraints ignored."""
    weights = st.floats(0, 1).map(lambda draw: draw < unknown)
    return st.fixed_dictionaries(
        {
            fact.name: st.tuples(weights, _value(fact)).map(lambda pair: None if pair[0] else pair[1])
            for fact in schema.facts
        }
    )


def _atom(fact: Fact) -> st.SearchStrategy[Condition]:
    """An atom a condition on ``fact`` may be: bounds a little past the fact's range too."""
    if isinstance(fact, Choice):
        values: list[str | bool] = [True, False] if isinstance(fact, Boolean) else [*fact.values]
        return st.sampled_from(values).map(lambda value: Is(fact.name, value))
    if isinstance(fact, Integer):
        bounds = st.integers(fact.minimum - 1, min(fact.maximum, fact.minimum + 30) + 1)
        return st.builds(AtLeast, st.just(fact.name), bounds) | st.builds(AtMost, st.just(fact.name), bounds)
    if isinstance(fact, Measure):
        bounds = st.floats(fact.minimum - 1, fact.maximum + 1)
        return st.builds(AtLeast, st.just(fact.name), bounds) | st.builds(AtMost, st.just(fact.name), bounds)
    assert isinstance(fact, Subset)
    items = st.sampled_from(fact.universe or NAMES)
    return st.builds(Contains, st.just(fact.name), items) | st.builds(
        CountAtLeast, st.just(fact.name), st.integers(0, 3)
    )


def _conditions(schema: Schema) -> st.SearchStrategy[Condition]:
    """Conditions over ``schema``'s facts, of every shape: atoms, and, or, not."""
    atoms = st.sampled_from(schema.facts).flatmap(_atom)
    return st.recursive(
        atoms,
        lambda inner: (
            st.lists(inner, min_size=1, max_size=3).map(lambda parts: AllOf(tuple(parts)))
            | st.lists(inner, min_size=1, max_size=3).map(lambda parts: AnyOf(tuple(parts)))
            | inner.map(Not)
        ),
        max_leaves=4,
    )


@st.composite
def _schemas(draw: st.DrawFn, schema: Schema) -> Schema:
    """``schema`` with a few more constraints drawn over its facts (each kept or not)."""
    kept = tuple(c for c in schema.constraints if draw(st.booleans()))
    implied = draw(
        st.lists(
            st.builds(
                Implies,
                _conditions(schema),
                _conditions(schema),
                st.sampled_from(schema.names),
                st.just("drawn"),
            ),
            max_size=2,
        )
    )
    sets = [fact.name for fact in schema.facts if isinstance(fact, Subset)]
    subsets = (
        [SubsetOf(*pair) for pair in draw(st.lists(st.permutations(sets).map(lambda p: p[:2]), max_size=1))]
        if len(sets) > 1
        else []
    )
    return Schema(schema.facts, (*kept, *implied, *subsets))


@st.composite
def _cases(draw: st.DrawFn) -> tuple[Schema, dict[str, Value | None]]:
    base = draw(st.sampled_from([RR_ALL.schema, TOY_TRIAGE.schema]))
    schema = draw(_schemas(base))
    return schema, draw(_facts(schema, draw(st.sampled_from([0.0, 0.1, 0.4]))))


def _constraints_read(schema: Schema) -> set[str]:
    read: set[str] = set()
    for constraint in schema.constraints:
        if isinstance(constraint, SubsetOf):
            read |= {constraint.subset, constraint.superset}
        else:
            read |= {*facts_read(constraint.when), *facts_read(constraint.then)}
    return read


@given(case=_cases())
def test_the_compiled_consistency_is_what_knowledge_says(
    case: tuple[Schema, dict[str, Value | None]],
) -> None:
    """Complete or partial, consistent or not: the compiled test agrees with `Knowledge`, and
    asks the memo only when a fact a constraint reads is unknown, or for a constraint whose
    ``then`` `Knowledge` does not narrow exactly."""
    schema, facts = case
    asked: list[Facts] = []

    def memo(given: Facts) -> bool:
        asked.append(given)
        return Knowledge.of(schema, given).consistent

    consistent, _ = compile_consistency(schema, memo)
    assert consistent(facts) is Knowledge.of(schema, facts).consistent
    variable = {name: name for name in schema.names}
    if consistency_source(schema, variable) is not None and all(
        facts[name] is not None for name in _constraints_read(schema)
    ):
        assert not asked


def _key_says_consistent(guideline: Guideline, facts: Facts) -> None:
    """The class key's first item is whether the start is consistent, as `Knowledge` says."""
    key = compiled(guideline).class_key(facts)
    assert key[0] is Knowledge.of(guideline.schema, facts).consistent, facts


@given(facts=_facts(RR_ALL.schema, 0.0) | _facts(RR_ALL.schema, 0.3))
def test_the_class_key_says_whether_an_rr_all_start_is_consistent(facts: dict[str, Value | None]) -> None:
    """TKIs failed that were not received, or relapsed disease with no relapse, is inconsistent."""
    _key_says_consistent(RR_ALL, facts)


@given(data=st.data())
def test_the_class_key_says_whether_a_start_is_consistent_under_drawn_constraints(
    data: st.DataObject,
) -> None:
    """The toy triage and R/R ALL guidelines with constraints drawn over their facts: the class key
    (compiled consistency where it can, the walk's memo where it cannot) agrees with `Knowledge`."""
    base = data.draw(st.sampled_from([RR_ALL, TOY_TRIAGE]))
    guideline = attrs.evolve(base, schema=data.draw(_schemas(base.schema)))
    for _ in range(5):
        _key_says_consistent(
            guideline, data.draw(_facts(guideline.schema, data.draw(st.sampled_from([0.0, 0.3]))))
        )


def test_rr_alls_constraints_are_compiled() -> None:
    """R/R ALL's constraints (TKIs failed among those received; relapsed disease has relapsed) are
    decided without the memo for a patient who knows their facts."""
    variable = {name: name for name in RR_ALL.schema.names}
    known, holds = consistency_source(RR_ALL.schema, variable) or ("", "")
    assert holds == "tkis_failed <= tkis_received and (not str(status) == 'relapsed' or relapses >= 1)"
    assert set(known.replace(" is not None", "").split(" and ")) == _constraints_read(RR_ALL.schema)


def test_a_disjunction_knowledge_does_not_narrow_is_left_to_the_memo() -> None:
    """`Knowledge` takes "relapsed or refractory" to hold without narrowing either part, so a
    record that breaks it is still consistent to it: the compiled test must not say otherwise."""
    either = AnyOf((Is("status", "relapsed"), Is("status", "refractory")))
    schema = Schema(RR_ALL.schema.facts, (Implies(AtLeast("relapses", 1), either, "status", "drawn"),))
    facts: dict[str, Value | None] = {name: None for name in schema.names}
    facts.update(relapses=2, status="other")
    assert Knowledge.of(schema, facts).consistent
    assert consistency_source(schema, {name: name for name in schema.names}) is None
    consistent, _ = compile_consistency(schema, lambda given: Knowledge.of(schema, given).consistent)
    assert consistent(facts)
