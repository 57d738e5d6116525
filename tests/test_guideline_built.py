"""A guideline checks itself when it is built, and the encoded text passes those checks."""

from __future__ import annotations

import networkx as nx
import pytest

from rrall import RR_ALL, GuidelineError
from rrall.engine import (
    AtLeast,
    Branch,
    Choice,
    Decision,
    Guideline,
    Integer,
    Is,
    Node,
    OptionGroup,
    Regimen,
    Schema,
)

LEAF_IDS = (
    "blinatumomab", "inotuzumab-ozogamicin", "tisagenlecleucel", "inotuzumab-mini-hyper-cvd",
    "augmented-hyper-cvad", "mopad", "mopad-rituximab", "nelarabine", "clofarabine",
    "vincristine-liposome", "flag-ida", "flam", "cytarabine-regimen", "alkylator-regimen",
    "dasatinib", "ponatinib", "allogeneic-sct", "clinical-trial",
)  # fmt: skip


class TestTheEncodedText:
    def test_the_eighteen_regimen_leaves_have_their_contract_ids_in_text_order(self) -> None:
        assert tuple(leaf.id for leaf in RR_ALL.leaves) == LEAF_IDS

    def test_every_node_quotes_the_source_verbatim(self) -> None:
        for node in RR_ALL.nodes:
            assert node.quotes
            for quote in node.quotes:
                assert quote in RR_ALL.source, node.id

    def test_every_option_bullet_of_the_text_is_cited(self) -> None:
        quotes = [quote for node in RR_ALL.nodes for quote in node.quotes]
        bullets = [line[2:] for line in RR_ALL.source.splitlines() if line.startswith("- ")]
        uncited = [b for b in bullets if not any(q in b or b in q for q in quotes)]
        assert uncited == [
            "Download or order The Leukemia & Lymphoma Society's free booklet, Acute Lymphoblastic "
            "Leukemia (ALL) in Adults."
        ]

    def test_it_is_a_dag_where_ph_positive_tki_failure_joins_the_ph_negative_regimens(self) -> None:
        graph = RR_ALL.graph
        assert nx.is_directed_acyclic_graph(graph)
        assert set(graph.predecessors("ph-negative-regimens")) == {"ph-negative", "ph-positive"}
        assert graph.nodes["ph-status"]["kind"] == "decision"

    def test_the_graph_is_frozen(self) -> None:
        with pytest.raises(nx.NetworkXError):
            RR_ALL.graph.add_node("extra")

    def test_leaves_carry_names_brands_drugs_and_variants_from_the_text(self) -> None:
        leaf = RR_ALL.node("blinatumomab")
        assert isinstance(leaf, Regimen)
        assert (leaf.name, leaf.brands, leaf.drugs) == ("Blinatumomab", ("Blincyto",), ("blinatumomab",))
        flag_ida = RR_ALL.node("flag-ida")
        assert isinstance(flag_ida, Regimen)
        assert "without idarubicin (FLAG)" in flag_ida.variants
        for leaf in RR_ALL.leaves:
            assert all(drug == drug.lower() for drug in leaf.drugs)

    def test_every_reading_named_by_a_node_is_in_the_register(self) -> None:
        register = {reading.id for reading in RR_ALL.readings}
        named = {reading for node in RR_ALL.nodes for reading in node.readings}
        assert named == register


SOURCE = "Pick A or B. A is for the young. B is for the rest. Both may help."
SCHEMA = Schema((Integer("age", "age", 0, 120), Choice("arm", "arm", ("left", "right"))))


def build(*nodes: Node, source: str = SOURCE) -> Guideline:
    return Guideline(name="toy", title="Toy", source=source, schema=SCHEMA, root=nodes[0].id, nodes=nodes)


def leaf(node_id: str, quote: str = "Both may help.") -> Regimen:
    return Regimen(node_id, node_id.upper(), quote)


def decision(*branches: Branch, node_id: str = "age?") -> Decision:
    return Decision(node_id, "Age?", "Pick A or B.", branches)


class TestMalformedGuidelinesAreRejected:
    def test_a_well_formed_toy_is_accepted(self) -> None:
        toy = build(
            decision(Branch("a", Is("arm", "left")), Branch("b", Is("arm", "right"))), leaf("a"), leaf("b")
        )
        assert [node.id for node in toy.leaves] == ["a", "b"]

    def test_a_decision_whose_branches_miss_some_patients(self) -> None:
        with pytest.raises(GuidelineError, match="gives no branch for age=0"):
            build(
                decision(Branch("a", AtLeast("age", 18)), Branch("b", AtLeast("age", 65))),
                leaf("a"),
                leaf("b"),
            )

    def test_a_decision_whose_branches_overlap(self) -> None:
        with pytest.raises(GuidelineError, match="gives 2 branches for age=65"):
            build(
                decision(Branch("a", AtLeast("age", 0)), Branch("b", AtLeast("age", 65))),
                leaf("a"),
                leaf("b"),
            )

    def test_a_cycle(self) -> None:
        group_a = OptionGroup("g1", "G1", "Both may help.", [Branch("g2")])
        group_b = OptionGroup("g2", "G2", "Both may help.", [Branch("g1")])
        with pytest.raises(GuidelineError, match="cycle"):
            build(group_a, group_b)

    def test_a_dangling_edge(self) -> None:
        with pytest.raises(GuidelineError, match="dangling edge to 'nowhere'"):
            build(OptionGroup("g", "G", "Both may help.", [Branch("nowhere")]))

    def test_a_node_without_a_quote(self) -> None:
        with pytest.raises(GuidelineError, match="'a' has no quote"):
            build(OptionGroup("g", "G", "Both may help.", [Branch("a")]), Regimen("a", "A", ()))

    def test_a_quote_the_source_does_not_contain(self) -> None:
        with pytest.raises(GuidelineError, match="quotes words not in the source"):
            build(OptionGroup("g", "G", "Both may help.", [Branch("a")]), leaf("a", "C is best."))

    def test_an_uncited_bullet(self) -> None:
        source = SOURCE + "\n- Rest is also an option.\n"
        with pytest.raises(GuidelineError, match="no node cites the bullet"):
            build(OptionGroup("g", "G", "Both may help.", [Branch("a")]), leaf("a"), source=source)

    def test_a_condition_on_a_fact_the_schema_lacks(self) -> None:
        with pytest.raises(GuidelineError, match="reads 'weight'"):
            build(OptionGroup("g", "G", "Both may help.", [Branch("a", AtLeast("weight", 50))]), leaf("a"))

    def test_a_condition_testing_a_value_the_fact_cannot_take(self) -> None:
        with pytest.raises(GuidelineError, match="unknown value 'up'"):
            build(OptionGroup("g", "G", "Both may help.", [Branch("a", Is("arm", "up"))]), leaf("a"))

    def test_every_problem_is_listed_at_once(self) -> None:
        with pytest.raises(GuidelineError) as caught:
            build(OptionGroup("g", "G", "Nope.", [Branch("x"), Branch("a")]), Regimen("a", "A", ()))
        assert len(caught.value.problems) == 3
