"""Reading a model's reply: what is mended, what is dropped, and what is refused with a reason to send back."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from vetting.llm.repair import UnusableReply, parse_reply


class Q(BaseModel):
    question: str
    quote: str


class Plan(BaseModel):
    questions: list[Q]


ONE = [Q(question="a", quote="b")]


@pytest.mark.parametrize(
    "reply",
    [
        '{"questions": [{"question": "a", "quote": "b"}]}',
        '```json\n{"questions": [{"question": "a", "quote": "b"}]}\n```',
        'Sure! Here it is: {"questions": [{"question": "a", "quote": "b",}],} Hope this helps.',
        '{"questions": [{"question": "a", "quote": "b"}], "extra": True}',
        '{"questions": [{"question": "a", "quote": "b"}, {"question": "c", "quo',  # cut inside a key
        '{"questions": [{"question": "a", "quote": "b"}, {"question"',  # cut after a key
        '{"questions": [{"question": "a", "quote": "b"}, {"question": "c", "quote":',  # cut before a value
        '{"questions": [{"question": "a", "quote": "b"}, ',  # cut after a comma
    ],
)
def test_mendable_replies_keep_only_what_the_model_finished(reply: str) -> None:
    assert parse_reply(reply, Plan).questions == ONE


def test_a_value_cut_mid_string_is_kept_as_far_as_it_went() -> None:
    reply = '{"questions": [{"question": "a", "quote": "b"}, {"question": "c", "quote": "cut her'
    assert parse_reply(reply, Plan).questions[1] == Q(question="c", quote="cut her")


def test_raw_newlines_inside_strings_are_accepted() -> None:
    assert parse_reply('{"questions": [{"question": "a\nb", "quote": "q"}]}', Plan).questions[0].question == "a\nb"


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("", "the reply was empty"),
        ("I cannot help with that.", "the reply was not valid JSON"),
        ('{"questions": "none"}', "JSON did not match the schema at questions: Input should be a valid list"),
        ('{"questions": [{"question": "a"}]}', "JSON did not match the schema at questions.0.quote: Field required"),
        ('{"questions": [{"question": "a\\', "the reply was cut off before any complete item"),
    ],
)
def test_unusable_replies_say_why(reply: str, reason: str) -> None:
    with pytest.raises(UnusableReply) as caught:
        parse_reply(reply, Plan)
    assert str(caught.value) == reason
