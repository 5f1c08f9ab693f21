"""GRPO rewards by name: the wmbench verifier's accuracy (with the unparseable share logged) and format."""

from __future__ import annotations

import pytest
from fixtures_tasks import oracle_response, reference_problems, wrong_response

from wmbench.errors import TrainingError
from wmbench.train.data import prompt_row
from wmbench.train.rewards import REWARDS, accuracy, answer_format, reward_functions


def batch(kinds):
    """Completions of each kind for every reference problem, with the dataset columns TRL passes."""
    completions, rows = [], []
    for problem in reference_problems():
        for kind in kinds:
            completions.append({
                "right": oracle_response(problem),
                "wrong": wrong_response(problem),
                "none": "I am not sure what the answer is.",
                "truncated": "Working it out: \\boxed{\\frac{P_t",
            }[kind])
            rows.append(prompt_row(problem))
    columns = {name: [r[name] for r in rows] for name in rows[0] if name != "prompt"}
    return completions, columns


def test_accuracy_is_the_verifier_and_logs_the_unparseable_share():
    completions, columns = batch(["right", "wrong", "none", "truncated"])
    logged = []
    rewards = accuracy(completions, log_metric=lambda name, value: logged.append((name, value)),
                       prompts=["p"] * len(completions), trainer_state=object(), **columns)
    assert rewards == [1.0, 0.0, 0.0, 0.0] * (len(completions) // 4)
    assert logged == [("unparseable", 0.5)]


def test_conversational_completions_are_graded_like_text():
    completions, columns = batch(["right", "wrong"])
    messages = [[{"role": "assistant", "content": c}] for c in completions]
    assert accuracy(messages, **columns) == accuracy(completions, **columns)


def test_format_rewards_the_boxed_answers_the_prompt_asks_for():
    completions, columns = batch(["right", "wrong", "none", "truncated"])
    assert answer_format(completions, **columns) == [1.0, 1.0, 0.0, 0.0] * (len(completions) // 4)
    mcq = next(p for p in reference_problems() if p.type == "MCQ")
    row = prompt_row(mcq)
    two_letters = answer_format(["\\boxed{A} or \\boxed{B}"], type=[row["type"]], equation=[row["equation"]])
    assert two_letters == [0.0]


def test_reward_names_and_weights_are_checked():
    assert reward_functions(["accuracy", "format"], [1.0, 0.1]) == [REWARDS["accuracy"], REWARDS["format"]]
    with pytest.raises(TrainingError, match="unknown reward 'bogus'; choose from accuracy, format"):
        reward_functions(["accuracy", "bogus"])
    with pytest.raises(TrainingError, match="2 weights for 1 rewards"):
        reward_functions(["accuracy"], [1.0, 2.0])


def test_general_maths_rows_count_a_stated_final_answer_as_parseable():
    logged = []
    completions = ["Adding them, the final answer is 5.", "\\boxed{5}", "No idea."]
    rewards = accuracy(completions, solution=["5"] * 3, log_metric=lambda name, value: logged.append(value))
    assert rewards == [1.0, 1.0, 0.0] and logged == [pytest.approx(1 / 3)]


@pytest.mark.parametrize("text", [
    "no box at all",
    "the answer is \\boxed{\\frac{1}{2}}",
    "first \\boxed{a} then cut \\boxed{\\frac{1}{",
    "cut \\boxed{\\frac{1}{ and nothing else",
    "\\boxed{x} {unbalanced text before} \\boxed{y}",
    "braces { open early \\boxed{z}",
    "\\boxedx is not a box, \\fbox{7} is",
    "bare \\boxed 5 token",
    "\\boxed{\\left\\{ a \\right\\}} escaped braces",
    "\\boxed{{nested} {braces}} \\boxed{",
])
def test_has_box_agrees_with_the_verifier_extractor(text):
    from wmbench.train.rewards import has_box
    from wmbench.verify.extract import extract_boxed

    assert has_box(text) is bool(extract_boxed(text))
