"""Example answers for the demo and benchmarks: plausible, fictional, deterministic for a seed."""

from __future__ import annotations

import random

# How members of this fictional board tend to weigh each factor: ratings drawn with these weights
# (central, significant, minor, not_relevant, dont_know). C3 and B3 divide the board on purpose.
FACTOR_LEANINGS = {
    "B1": (6, 3, 1, 0, 0),
    "B2": (5, 4, 1, 0, 0),
    "B3": (3, 2, 3, 2, 1),
    "C1": (3, 5, 2, 0, 0),
    "C2": (2, 5, 2, 0, 1),
    "C3": (3, 1, 3, 3, 0),
    "C4": (1, 4, 4, 1, 0),
    "C5": (2, 5, 3, 0, 0),
    "C6": (2, 4, 3, 0, 1),
}
SCALE = ("central", "significant", "minor", "not_relevant", "dont_know")

FACTOR_COMMENTS = {
    "B1": ("Domestic abuse and parental mental health were known to several agencies; the risks to a "
           "pre-verbal child need to be at the centre.",
           "Strengths too: the maternal grandmother was a protective presence until mid-2026.",
           "The household changed often; who was caring for Child T at any time is unclear."),
    "B2": ("Information about the father's history does not seem to have reached health visiting.",
           "Two referrals were closed at the front door without a home visit.",
           "Escalation between agencies did not happen when the strategy meeting was delayed."),
    "B3": ("The criminal investigation will constrain what practitioners can say and when.",
           "No specific legal requirement beyond the usual, as Child T was not looked after.",
           "Disclosure to the police investigation must be agreed before practitioner events."),
    "C1": ("Our 2024 review of non-accidental injury in infants found similar issues with information sharing.",
           "Less is known locally about how adult mental health services think about children in the home.",
           "The learning from the 2023 thematic review on neglect has not been tested yet."),
    "C2": ("We need a reviewer with health visiting and domestic abuse expertise.",
           "Reviewers with systems-method experience are booked well into next year.",
           "An independent reviewer from outside the region would help with public confidence."),
    "C3": ("There has been local press interest since the hospital admission.",
           "Public interest is limited so far; it may rise if charges are brought.",
           "Local councillors have asked questions; the partners should be ready to explain their approach."),
    "C4": ("Two other reviews are running this year; practitioner time is stretched.",
           "The hospital trust is also running its own serious incident investigation.",
           "Capacity in children's social care is tight after the recent inspection."),
    "C5": ("Information sharing for under-fives is a priority in the partnership's learning plan.",
           "This fits the partnership's priority on domestic abuse and young children.",
           "The partnership's plan already commits to work on escalation; this review can feed it."),
    "C6": ("The partnership can support a systems review if timescales allow for the criminal process.",
           "The business unit has one reviewer coordinator; a large review would need more support.",
           "Learning events are possible in the spring, after the other two reviews report."),
}
DECISION_TEXT = {
    "A2": ("How information about risks from adults in the household was shared with universal services.",
           "Why the two closed referrals did not lead to a home visit.",
           "How the hospital and community health teams shared what they knew after each attendance."),
    "A4": ("Knowledge of infant injury, domestic abuse and adult mental health services.",
           "Experience of systems reviews and of working alongside a criminal investigation.",
           "Independence from every agency involved, and experience with health visiting."),
    "P1": ("A police investigation is under way; the CPS has not yet made a charging decision.",
           "The hospital trust has opened a serious incident investigation.",
           "A coroner's inquest is not expected, but the police investigation is ongoing."),
    "Q1": ("Practitioners from health visiting and the GP practice should be involved early.",
           "Please involve the family in a way that does not prejudice the criminal case.",
           "The voluntary sector family support worker saw the family weekly and should be heard."),
}
A1_LEANING = {"focused": 2, "standard": 6, "extensive": 2}
A3_LEANING = {"learning_together": 6, "silp": 3, "traditional": 1, "hybrid": 1}


def member_answers(index: int, agency_values: list[str], seed: int = 14) -> dict[str, list[str]]:
    """Form fields (name -> values) one member would post, as a browser does."""
    rng = random.Random(seed * 1000 + index)
    fields: dict[str, list[str]] = {}
    for item, weights in FACTOR_LEANINGS.items():
        fields[f"{item}.rating"] = [rng.choices(SCALE, weights)[0]]
        if rng.random() < 0.35:
            fields[f"{item}.comment"] = [rng.choice(FACTOR_COMMENTS[item])]
    fields["A1.choice"] = [rng.choices(list(A1_LEANING), list(A1_LEANING.values()))[0]]
    fields["A3.choice"] = [rng.choices(list(A3_LEANING), list(A3_LEANING.values()))[0]]
    core = agency_values[:4]
    extra = [a for a in agency_values[4:] if rng.random() < 0.4]
    fields["A5.choice"] = core + extra
    for item, texts in DECISION_TEXT.items():
        if rng.random() < 0.4:
            fields[f"{item}.comment"] = [rng.choice(texts)]
    return fields


REVIEWER_COMMENTS = [
    {
        "comment.B2": "Agree this is central. The summary suggests a pattern in how referrals were screened.",
        "comment.A3": "Learning Together suits this case, but the timetable must allow for the criminal process.",
        "proposal.method": "Learning Together with a staged start: agency information now, "
                           "practitioner conversations after the charging decision.",
    },
    {
        "comment.C1": "The 2024 review's findings should be a starting point, not repeated.",
        "comment.general": "Members' input is broad; the scope can be focused on the last 18 months.",
        "proposal.scope": "Period under review: 18 months before the admission, plus the antenatal period.",
    },
]


# What the fictional board decided at its meeting: the business manager records it on the decision page,
# keeping the page's pre-filled options and factors and writing the board's reasons.
BOARD_AGREED_BY = "The safeguarding partners at their extraordinary meeting, chaired by the independent chair"
BOARD_REASONS = {
    "A1": "A standard review: the risks to a pre-verbal child and the concerns about how referrals were "
          "screened need a multi-agency look at the main period of involvement, but two other reviews are "
          "running this year, so an extensive review would stretch practitioners too far.",
    "A2": "These questions follow the concerns most members raised about information sharing and the "
          "closed referrals, and the lead reviewers' advice to build on the 2024 review.",
    "A3": "Learning Together suits a case where practice across agencies needs to be understood as a "
          "system; the staged start lets the review proceed without prejudicing the criminal investigation.",
    "A4": "The lead reviewers must know infant injury, domestic abuse and adult mental health services, and "
          "have worked alongside a criminal investigation before.",
    "A5": "Every agency members named is involved; health visiting and the GP practice are reached through "
          "the integrated care board, as members asked.",
}
BOARD_CHOICES = {"A1": "standard", "A3": "learning_together"}  # where the page pre-selects nothing (a split)
BOARD_TAKES = {
    "method": ("adapted", "The staged start is kept, but practitioner conversations begin once the police "
                          "agree, not only after the charging decision."),
    "scope": ("adopted", ""),
}
