"""Learners who take a quiz on the live workbench, for the browser tests and the screenshots."""

from __future__ import annotations


# Fourteen learners of the "every question type" quiz (sse_quiz.1), from the weakest to the strongest.
# The better learners say "False" to the true statement on social protection floors, so the item
# analysis has a question to point out.
def every_type_answers(i: int) -> dict:
    return {
        "employment-policy": "c102" if i < 2 else "c144" if i < 5 else "c122",
        "fundamental": (["c102", "c144"] if i < 2 else ["c87", "c102"] if i < 5 else ["c87", "c182"] if i < 9
                        else ["c87", "c182", "c155"]),
        "floors": i < 5,
        "ica": "1895" if i >= 6 else "1900",
        "child_labour": "1999" if i >= 3 else "2000",
        "basque": "Mondragon" if i >= 8 else "Fagor",
    }


def take_quiz_as_learners(page, workbench_url: str, scenario: str, prefix: str, answers) -> None:
    """Submit ``answers`` (a list of answer dicts) as that many new learners, through the handler address."""
    page.goto(f"{workbench_url}/scenario/{scenario}/?student={prefix}_0")
    usage = page.locator(".sse-quiz").first.evaluate("el => el.closest('[data-usage]').getAttribute('data-usage')")
    statuses = page.evaluate("""async ([url, usage, prefix, answers]) => {
        const token = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || '';
        const statuses = [];
        for (let i = 0; i < answers.length; i++) {
            const reply = await fetch(`${url}/handler/${usage}/submit/?student=${prefix}_${i}`, {
                method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                body: JSON.stringify({attempt: 1, answers: answers[i]})});
            statuses.push(reply.status);
        }
        return statuses;
    }""", [workbench_url, usage, prefix, list(answers)])
    assert statuses == [200] * len(statuses), statuses
