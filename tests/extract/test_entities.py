"""Entities: mentions with article-local keys, and store-wide entities with aliases (invented articles)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsweave.extract.entities import PLACE_LABELS, find_mentions, fold
from newsweave.extract.entity_table import resolve_entities
from newsweave.model import Article, Mention
from newsweave.text import article_from_text


def make_article(raw: str, article_id: str = "a1", published: str | None = "2024-03-12") -> Article:
    return article_from_text(raw, article_id=article_id, published=published)


def keys_of(mentions: list[Mention], *forms: str) -> set[str | None]:
    return {m.key for m in mentions if m.text in forms}


def test_find_mentions_links_acronym_to_its_expansion() -> None:
    art = make_article(
        "The Northern Relief Coalition (NRC) opened two clinics on Monday. Later, NRC staff said the clinics were full."
    )
    mentions = find_mentions(art)
    forms = {m.text for m in mentions}
    assert {"Northern Relief Coalition", "NRC"} <= forms
    assert len(keys_of(mentions, "Northern Relief Coalition", "NRC")) == 1


def test_find_mentions_links_description_to_the_named_observatory() -> None:
    art = make_article(
        "The Balkan Observatory for Civil Rights said on Monday that shelling continued.\n"
        "Casualties rose to 12, the observatory said."
    )
    mentions = find_mentions(art)
    desc = [m for m in mentions if m.text == "the observatory"]
    assert desc, [m.text for m in mentions]
    named = [m for m in mentions if m.text == "Balkan Observatory for Civil Rights"]
    assert named and desc[0].key == named[0].key


def test_find_mentions_links_appositive_description_to_following_name() -> None:
    art = make_article("Fighting spread, according to the Vienna-based monitor Danube Conflict Watch.")
    mentions = find_mentions(art)
    desc = next(m for m in mentions if "monitor" in m.text)
    name = next(m for m in mentions if m.text == "Danube Conflict Watch")
    assert desc.key == name.key


def test_find_mentions_description_without_antecedent_stays_alone() -> None:
    art = make_article("The observatory said two people died. Meanwhile the Red Crescent sent a convoy.")
    mentions = find_mentions(art)
    desc = next(m for m in mentions if m.text.lower() == "the observatory")
    others = [m for m in mentions if m is not desc]
    assert all(m.key != desc.key for m in others)


def test_find_mentions_surname_corefers_with_full_name() -> None:
    art = make_article("President Viktor Almanov visited the front on Monday. Almanov said the army would hold.")
    mentions = find_mentions(art)
    assert len(keys_of(mentions, "Viktor Almanov", "Almanov")) == 1


def test_find_mentions_labels_a_city_as_a_place() -> None:
    art = make_article("Artillery shelling hit Kherson overnight, and residents of Kherson fled south.")
    labels = {m.label for m in find_mentions(art) if m.text == "Kherson"}
    assert labels and labels <= PLACE_LABELS


def test_find_mentions_offsets_point_into_the_text() -> None:
    art = make_article("The Syrian Arab Red Crescent (SARC) said the road to Homs was closed.")
    for m in find_mentions(art):
        assert art.text[m.start : m.end] == m.text
        assert art.sentences[m.sentence].start <= m.start < art.sentences[m.sentence].end


def test_find_mentions_empty_text_gives_nothing() -> None:
    assert find_mentions(make_article("")) == []


def resolve(*raws: str) -> tuple[dict[str, list[Mention]], object]:
    mentions = {f"a{i}": find_mentions(make_article(raw, f"a{i}")) for i, raw in enumerate(raws)}
    return mentions, resolve_entities(mentions)


def test_resolve_entities_merges_spelling_variants_across_articles() -> None:
    mentions = {
        "a1": find_mentions(make_article("Omar Abdel Karim, a local official, said the bridge was cut.", "a1")),
        "a2": find_mentions(make_article("Omar Abdulkarim said on Tuesday the bridge was repaired.", "a2")),
    }
    table = resolve_entities(mentions)
    assert table.canonical("Omar Abdulkarim") == table.canonical("Omar Abdel Karim") == "Omar Abdel Karim"


def test_resolve_entities_acronym_in_one_article_expansion_in_another() -> None:
    mentions = {
        "a1": find_mentions(make_article("The Free Valley Front (FVF) claimed the attack.", "a1")),
        "a2": find_mentions(make_article("FVF fighters entered the town, the monitor said.", "a2")),
    }
    table = resolve_entities(mentions)
    assert table.canonical("FVF") == "Free Valley Front"
    eid = table.of_mention[("a2", next(i for i, m in enumerate(mentions["a2"]) if m.text == "FVF"))]
    assert eid == table.of_mention[("a1", next(i for i, m in enumerate(mentions["a1"]) if m.text == "FVF"))]


def test_resolve_entities_word_order_variant_and_description_join_the_entity() -> None:
    mentions = {
        "a1": find_mentions(
            make_article(
                "The Yemeni Observatory for Civil Rights (YOCR) counted 40 dead. "
                "The observatory said most were civilians.",
                "a1",
            )
        ),
        "a2": find_mentions(make_article("According to the Yemeni Civil Rights Observatory, 45 people died.", "a2")),
    }
    table = resolve_entities(mentions)
    name = "Yemeni Observatory for Civil Rights"
    assert table.canonical("Yemeni Civil Rights Observatory") == name
    assert table.canonical("YOCR") == name
    assert table.canonical("the observatory") == name
    entity = next(e for e in table.entities if e.name == name)
    assert {"YOCR", "Yemeni Civil Rights Observatory", "the observatory"} <= set(entity.aliases)
    assert entity.type == "ORG"


def test_resolve_entities_keeps_people_sharing_a_surname_apart() -> None:
    mentions = {
        "a1": find_mentions(make_article("Karim Haddad, the mayor, said the market reopened.", "a1")),
        "a2": find_mentions(make_article("Lina Haddad, a nurse, said the hospital was full.", "a2")),
    }
    table = resolve_entities(mentions)
    assert table.canonical("Karim Haddad") != table.canonical("Lina Haddad")


def test_resolve_entities_is_deterministic_and_order_independent() -> None:
    raws = {
        "a1": "The Northern Relief Coalition (NRC) said 3 people died in Mosul.",
        "a2": "NRC said on Friday that Viktor Almanov had visited Mosul.",
        "a3": "Almanov said the Northern Relief Coalition could stay.",
    }
    mentions = {k: find_mentions(make_article(v, k)) for k, v in raws.items()}
    first = resolve_entities(mentions)
    again = resolve_entities(dict(reversed(list(mentions.items()))))
    assert first.entities == again.entities
    assert dict(first.of_mention) == dict(again.of_mention)


def test_resolve_entities_unknown_name_comes_back_unchanged() -> None:
    table = resolve_entities({"a1": find_mentions(make_article("The Red Crescent sent a convoy.", "a1"))})
    assert table.canonical("Nobody In Particular") == "Nobody In Particular"


def test_resolve_entities_every_mention_has_an_entity() -> None:
    mentions = {"a1": find_mentions(make_article("The Free Valley Front (FVF) and Viktor Almanov met in Homs.", "a1"))}
    table = resolve_entities(mentions)
    ids = {e.id for e in table.entities}
    assert len(table.of_mention) == len(mentions["a1"])
    assert set(table.of_mention.values()) <= ids


@given(st.text(max_size=80))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_find_mentions_relatives_sharing_a_surname_stay_apart() -> None:
    art = make_article(
        "Marta Ferreira said her son Paulo Ferreira was shot. Ferreira was taken to hospital. "
        "Ferreira said the police came late."
    )
    mentions = find_mentions(art)
    assert len(keys_of(mentions, "Marta Ferreira", "Paulo Ferreira")) == 2


def test_find_mentions_dateline_is_not_an_acronym_expansion() -> None:
    art = make_article("GREENVILLE, Miss. (AP) - Two people were wounded in a shooting on Monday.")
    mentions = find_mentions(art)
    ap = [m for m in mentions if m.text == "AP"]
    assert ap
    assert all(m.key != ap[0].key for m in mentions if m.text != "AP")


def test_find_mentions_title_is_not_part_of_the_name() -> None:
    art = make_article("Sheriff Dale Wickham said the suspect fled. Sgt. Ana Ruiz said two men were held.")
    texts = {m.text for m in find_mentions(art) if m.label == "PERSON"}
    assert "Sheriff" not in texts and "Sgt" not in texts
    assert not any(t.startswith(("Sheriff ", "Sgt")) for t in texts)


def test_resolve_entities_does_not_merge_orgs_sharing_only_generic_words() -> None:
    mentions = {
        "a1": find_mentions(make_article("The Ohio State Police said a trooper was hurt.", "a1")),
        "a2": find_mentions(make_article("The Texas State Police said two men were arrested.", "a2")),
        "a3": find_mentions(make_article("State Police closed the road.", "a3")),
    }
    table = resolve_entities(mentions)
    assert table.canonical("Ohio State Police") != table.canonical("Texas State Police")


class _Ent:
    def __init__(self, text: str, surface: str, label: str, nth: int = 0) -> None:
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        self.start_char, self.end_char, self.label_, self.text = start, start + len(surface), label, surface


class _Doc:
    """A stand-in for a spaCy Doc with the labels the small model gets wrong, so the rules are tested alone."""

    def __init__(self, ents: list[_Ent]) -> None:
        self.ents = ents


def _labels(raw: str, ents: list[tuple[str, str, int]]) -> dict[tuple[str, int], str]:
    art = make_article(raw)
    doc = _Doc([_Ent(art.text, surface, label, nth) for surface, label, nth in ents])
    mentions = find_mentions(art, doc)
    out: dict[tuple[str, int], str] = {}
    for m in mentions:
        out[(m.text, sum(1 for n in mentions if n.text == m.text and n.start < m.start))] = m.label
    return out


def test_find_mentions_reads_a_town_the_model_calls_a_person_as_a_place() -> None:
    labels = _labels(
        "Aid trucks reached the Dadaab camps on Monday. Flooding also hit a town called Lasby.",
        [("Dadaab", "PERSON", 0), ("Lasby", "PERSON", 0)],
    )
    assert labels[("Dadaab", 0)] == "GPE"
    assert labels[("Lasby", 0)] == "GPE"


def test_find_mentions_reads_a_town_the_model_calls_an_organisation_as_a_place() -> None:
    labels = _labels("Inspectors toured the Ashford laboratory on Friday.", [("Ashford", "ORG", 0)])
    assert labels[("Ashford", 0)] == "GPE"


def test_find_mentions_keeps_people_whose_names_are_also_towns() -> None:
    labels = _labels(
        "Lisa Jones chaired the meeting in the town hall. Later, Jones said in Dallas that the budget would pass. "
        "Her son Jack was born in Tyler. Residents of Tyler thanked Mr Harris at the meeting.",
        [("Lisa Jones", "PERSON", 0), ("Jones", "PERSON", 1), ("Jack", "PERSON", 0), ("Harris", "PERSON", 0)],
    )
    assert labels[("Jones", 0)] == "PERSON"  # the surname of a person named in full
    assert labels[("Jack", 0)] == "PERSON"  # "her son Jack"
    assert labels[("Harris", 0)] == "PERSON"  # "Mr Harris"


def test_find_mentions_keeps_a_group_adjective_before_a_noun() -> None:
    labels = _labels("The festival celebrated Arab culture in the old city.", [("Arab", "NORP", 0)])
    assert labels[("Arab", 0)] == "NORP"
