"""Events: PLOVER and ACLED typing, dates from the sentence, actors, places and figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsweave.extract.attribution import attribute_sentences
from newsweave.extract.entities import find_mentions
from newsweave.extract.events import EVENT_RULES, PLOVER_TYPES, classify, find_events
from newsweave.model import Article, Event, Figure
from newsweave.text import article_from_text


def make_article(raw: str, published: str | None = "2024-03-15") -> Article:
    return article_from_text(raw, published=published)


def events_of(raw: str, figures: tuple[Figure, ...] = (), published: str | None = "2024-03-15") -> list[Event]:
    art = make_article(raw, published)
    mentions = find_mentions(art)
    return find_events(art, mentions, figures, attribute_sentences(art, mentions))


@pytest.mark.parametrize(
    ("sentence", "plover", "acled"),
    [
        ("A suicide bomber blew himself up at a checkpoint.", "ASSAULT", "Suicide bomb"),
        ("A roadside bomb hit a patrol.", "ASSAULT", "Remote explosive/landmine/IED"),
        ("Warplanes struck a fuel depot.", "ASSAULT", "Air/drone strike"),
        ("A drone strike hit a car on the highway.", "ASSAULT", "Air/drone strike"),
        ("Artillery shelling hit the northern districts.", "ASSAULT", "Shelling/artillery/missile attack"),
        ("Government forces recaptured the hill.", "ASSAULT", "Government regains territory"),
        ("Rebels seized three villages.", "ASSAULT", "Non-state actor overtakes territory"),
        ("Heavy clashes broke out between the two militias.", "ASSAULT", "Armed clash"),
        ("Gunmen opened fire on a wedding party.", "ASSAULT", "Attack"),
        ("A man was shot outside a bar early Sunday.", "ASSAULT", "Attack"),
        ("The army's operation began on Monday.", "ASSAULT", "Armed clash"),
        ("Thousands of people protested peacefully outside parliament.", "PROTEST", "Peaceful protest"),
        ("Rioters torched cars and threw stones at police.", "PROTEST", "Violent demonstration"),
        ("Police arrested 40 students.", "COERCE", "Arrests"),
        ("Armed men abducted two aid workers.", "ASSAULT", "Abduction/forced disappearance"),
        ("Soldiers looted shops in the market.", "COERCE", "Looting/property destruction"),
        ("The army sent reinforcements to the border town.", "MOBILIZE", "Change to group/activity"),
        ("The president urged both sides to stop fighting.", "REQUEST", None),
        ("A ceasefire between the two countries took effect at dawn.", "AGREE", "Agreement"),
        ("The two rebel factions signed a peace agreement in the capital.", "AGREE", "Agreement"),
        ("Witnesses said the village was hit by a chlorine gas attack.", "ASSAULT", "Chemical weapon"),
        ("Army engineers defused a bomb planted under a bridge.", "COERCE", "Disrupted weapons use"),
        ("Police seized rifles, ammunition and explosives in a raid on a farm.", "COERCE", "Disrupted weapons use"),
        ("Air defences intercepted two missiles over the port.", "COERCE", "Disrupted weapons use"),
        ("An attacker hurled a grenade into a crowded market.", "ASSAULT", "Grenade"),
        ("Security forces opened fire on protesters, killing four.", "ASSAULT", "Excessive force against protesters"),
        ("Police used tear gas to disperse hundreds of demonstrators.", "PROTEST", "Protest with intervention"),
        ("Police arrested 30 protesters outside the ministry.", "PROTEST", "Protest with intervention"),
        ("Militiamen raped two women at a checkpoint.", "ASSAULT", "Sexual violence"),
        ("Government troops withdrew from the town without a fight.", "CONCEDE", "Non-violent transfer of territory"),
        ("The militia established a new base near the river crossing.", "MOBILIZE", "Headquarters or base established"),
        ("An angry mob beat a suspected thief to death.", "ASSAULT", "Mob violence"),
        ("Villagers lynched a man accused of stealing cattle.", "ASSAULT", "Mob violence"),
        ("The armed group announced it had changed its name.", "MOBILIZE", "Change to group/activity"),
        ("The two militias merged into a single front.", "MOBILIZE", "Change to group/activity"),
        ("Riot police used water cannon against crowds outside the palace.", "PROTEST", "Protest with intervention"),
        ("Nurses went on strike and picketed the clinic.", "PROTEST", "Peaceful protest"),
        ("Youths hurled stones at police and burned tyres on the ring road.", "PROTEST", "Violent demonstration"),
        ("Two armed groups exchanged fire near the bus station.", "ASSAULT", "Armed clash"),
        ("A roadside device went off as the convoy passed.", "ASSAULT", "Remote explosive/landmine/IED"),
        ("Jets bombed depots on the edge of the port.", "ASSAULT", "Air/drone strike"),
    ],
)
def test_classify_types_sentences_with_plover_and_acled(sentence: str, plover: str, acled: str | None) -> None:
    rule = classify(sentence)
    assert rule is not None
    assert (rule.plover, rule.acled) == (plover, acled)


def test_classify_ignores_sentences_without_events() -> None:
    assert classify("The city is famous for its soap and citadel.") is None


def test_classify_denial_is_reject() -> None:
    rule = classify("The ministry denied reports of an attack.", denies=True)
    assert rule is not None and rule.plover == "REJECT"


def test_event_rules_use_plover_types() -> None:
    assert {r.plover for r in EVENT_RULES} <= PLOVER_TYPES


def test_find_events_date_from_weekday_in_the_sentence() -> None:
    # published Friday 15 March 2024
    events = events_of("On Wednesday, militants attacked army positions near Kherson.")
    assert [(e.type, e.acled_subtype, e.date) for e in events] == [("ASSAULT", "Armed clash", "2024-03-13")]
    assert events[0].place == "Kherson"


def test_find_events_split_clauses_with_chained_dates() -> None:
    events = events_of(
        "Drone strikes killed 11 villagers on Thursday, while one resident died in mortar shelling a day earlier."
    )
    got = {(e.acled_subtype, e.date) for e in events}
    assert ("Air/drone strike", "2024-03-14") in got
    assert ("Shelling/artillery/missile attack", "2024-03-13") in got


def test_find_events_link_figures_of_the_sentence() -> None:
    raw = "Artillery shelling killed 7 people in the market."
    art = make_article(raw)
    start = art.text.index("7")
    fig = Figure(
        sentence_index=0,
        sentence=art.sentences[0].text,
        start=start,
        end=start + 1,
        measure="killed",
        value=7,
        qualifier="exact",
    )
    events = events_of(raw, (fig,))
    assert events[0].figure_indices == (0,)


def test_find_events_skip_background_and_future() -> None:
    assert events_of("In 2013, government forces recaptured the valley.") == []
    assert events_of("Fresh troops are expected to arrive within 48 hours.") == []


def test_find_events_actors_exclude_the_source() -> None:
    events = events_of("The Danube Conflict Watch said the Free Valley Front seized two villages.")
    assert events[0].acled_subtype == "Non-state actor overtakes territory"
    assert "Free Valley Front" in events[0].actors
    assert "Danube Conflict Watch" not in events[0].actors


@given(st.text(max_size=200))
def test_classify_never_crashes(text: str) -> None:
    rule = classify(text)
    assert rule is None or rule.plover in PLOVER_TYPES


@pytest.mark.parametrize(
    "sentence",
    [
        "Nine people were killed when the river burst its banks on Monday.",
        "At least 30 were killed in the earthquake that struck the valley.",
        "Two workers were killed when the scaffolding collapsed.",
        "Four people were killed in a bus crash on the coast road.",
    ],
)
def test_classify_deaths_in_disasters_and_accidents_are_not_attacks(sentence: str) -> None:
    assert classify(sentence) is None


def test_classify_violence_near_a_hazard_word_is_still_an_attack() -> None:
    rule = classify("Gunmen killed six people during the storm.")
    assert rule is not None and rule.acled == "Attack"
