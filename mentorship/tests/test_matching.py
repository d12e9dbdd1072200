"""The matching engine on hand-made and random profiles: no database."""

import itertools
import math
import random
import time

import pytest

from mentorship import matching
from mentorship.matching import (
    CRITERIA,
    REASON_ALL_FORBIDDEN,
    REASON_NO_FREE_PLACES,
    REASON_NO_MENTORS,
    STUDENT,
    TEACHER,
    CriterionSetting,
    MatchingError,
    MenteeProfile,
    MentorProfile,
    Weights,
    availability_slots,
    random_profiles,
    score,
    subjects_in,
    suggest,
    words,
)

ONLY_NEEDS = Weights(settings={c.code: CriterionSetting(10 if c.code == "needs" else 0) for c in CRITERIA})


def mentee(id_, *, needs="", **kwargs):
    return MenteeProfile(id=id_, name=f"Наставляемый {id_}", needs=words(needs), **kwargs)


def mentor(id_, *, competencies="", capacity=1, **kwargs):
    return MentorProfile(id=id_, name=f"Наставник {id_}", competencies=words(competencies), capacity=capacity, **kwargs)


def test_words_fold_case_yo_and_common_endings():
    assert words("Трудности с МАТЕМАТИКОЙ") == words("трудность математика")
    assert words("олимпиадам, олимпиады") == {"олимпиад"}
    assert words("учёба") == words("учеба")
    assert words("и в на для помощь") == frozenset()
    assert words("интерес к исследовательским проектам") & words("исследовательская деятельность")


def test_subjects_and_availability_are_recognised_in_text():
    assert subjects_in("подготовка к ОГЭ по алгебре и химии") == {"математика", "химия"}
    assert subjects_in("среднее общее образование") == frozenset()
    assert availability_slots("по вторникам и средам, можно онлайн") == {"вт", "ср", "онлайн"}
    assert availability_slots("в будни очно") == {"пн", "вт", "ср", "чт", "пт", "очно"}
    assert availability_slots("средняя школа") == frozenset()


# --- The optimum ---------------------------------------------------------------------------


def _greedy(mentees, mentors, weights):
    """Each mentee in turn takes its best mentor with a free place: what the engine must beat."""
    free = {m.id: m.capacity for m in mentors}
    pairs, total = set(), 0.0
    for e in mentees:
        options = [(score(e, m, weights).total, m.id) for m in mentors if free[m.id]]
        best_score, best_id = max(options)
        free[best_id] -= 1
        pairs.add((e.id, best_id))
        total += best_score
    return pairs, total


def test_the_global_optimum_beats_first_come_greedy():
    # A scores 10 with X and 9 with Y; B scores 8 with X and 1 with Y. Greedy gives A→X, B→Y (11).
    a_words = " ".join(f"слово{i}а" for i in range(10))
    b_words = " ".join(f"слово{i}б" for i in range(10))
    a, b = mentee(1, needs=a_words), mentee(2, needs=b_words)
    x = mentor(10, competencies=a_words + " " + " ".join(f"слово{i}б" for i in range(8)))
    y = mentor(20, competencies=" ".join(f"слово{i}а" for i in range(9)) + " слово0б")
    assert [score(a, x, ONLY_NEEDS).total, score(a, y, ONLY_NEEDS).total] == [10, 9]
    assert [score(b, x, ONLY_NEEDS).total, score(b, y, ONLY_NEEDS).total] == [8, 1]

    greedy_pairs, greedy_total = _greedy([a, b], [x, y], ONLY_NEEDS)
    assert greedy_pairs == {(1, 10), (2, 20)} and greedy_total == 11

    result = suggest([a, b], [x, y], ONLY_NEEDS)
    assert result.pairs == {(1, 20), (2, 10)}
    assert result.total == 17
    assert result.unassigned == ()


def _brute_force(mentees, mentors, weights):
    """(assigned, total milli-points) of the best assignment by enumeration: fewest unassigned first."""
    options = [[None, *mentors] for _ in mentees]
    best = (0, 0)
    for choice in itertools.product(*options):
        load, total, count, ok = {}, 0, 0, True
        for e, m in zip(mentees, choice, strict=True):
            if m is None:
                continue
            breakdown = score(e, m, weights)
            load[m.id] = load.get(m.id, 0) + 1
            if not breakdown.possible or load[m.id] > m.capacity:
                ok = False
                break
            count, total = count + 1, total + round(breakdown.total * 1000)
        if ok:
            best = max(best, (count, total))
    return best


@pytest.mark.parametrize("seed", range(25))
def test_the_optimum_equals_exhaustive_search_on_small_cases(seed):
    mentees, mentors = random_profiles(5, 3, seed=seed, capacity=(0, 2))
    result = suggest(mentees, mentors)
    found = (len(result.suggestions), round(result.total * 1000))
    assert found == _brute_force(mentees, mentors, Weights())


def test_capacities_are_respected():
    mentees = [mentee(i, needs="робототехника") for i in range(1, 6)]
    mentors = [mentor(10, competencies="робототехника", capacity=2), mentor(20, competencies="шахматы", capacity=2)]
    result = suggest(mentees, mentors, ONLY_NEEDS)
    load = {10: 0, 20: 0}
    for suggestion in result.suggestions:
        load[suggestion.mentor.id] += 1
    assert load == {10: 2, 20: 2}
    assert [u.reason for u in result.unassigned] == [REASON_NO_FREE_PLACES]
    assert result.free_places == {10: 0, 20: 0}


def test_capacities_are_respected_at_scale():
    mentees, mentors = random_profiles(200, 40, seed=3)
    result = suggest(mentees, mentors)
    for m in mentors:
        taken = sum(1 for s in result.suggestions if s.mentor.id == m.id)
        assert taken <= m.capacity
        assert result.free_places[m.id] == m.capacity - taken
    assert len(result.suggestions) + len(result.unassigned) == 200


def test_as_many_mentees_as_possible_get_a_mentor_before_the_score_counts():
    # Both prefer X; only A may go to Y (B fails the grade rule there): A→Y, B→X, nobody left out.
    a = mentee(1, needs="шахматы", grade=5)
    b = mentee(2, needs="шахматы", grade=9)
    x = mentor(10, competencies="шахматы", category=TEACHER)
    y = mentor(20, category=STUDENT, grade=8)
    result = suggest([a, b], [x, y])
    assert result.pairs == {(1, 20), (2, 10)}


def test_among_equal_scores_mentees_are_spread_over_mentors():
    mentees = [mentee(i) for i in range(1, 5)]
    mentors = [mentor(10, capacity=4), mentor(20, capacity=4)]
    result = suggest(mentees, mentors)
    assert sorted(s.mentor.id for s in result.suggestions) == [10, 10, 20, 20]


# --- Must-haves, pins, forbidden pairs -----------------------------------------------------


def test_a_must_have_criterion_excludes_a_pair():
    e = mentee(1, needs="олимпиада по алгебре", subjects=frozenset({"математика"}))
    physicist = mentor(10, competencies="олимпиада", subjects=frozenset({"физика"}))
    mathematician = mentor(20, competencies="проекты", subjects=frozenset({"математика"}))
    weights = Weights(settings={"needs": CriterionSetting(10), "subject": CriterionSetting(1)})
    assert suggest([e], [physicist, mathematician], weights).pairs == {(1, 10)}

    required = weights.with_setting("subject", required=True)
    breakdown = score(e, physicist, required)
    assert not breakdown.possible and breakdown.failed_criteria == ["Предмет"]
    assert suggest([e], [physicist, mathematician], required).pairs == {(1, 20)}

    alone = suggest([e], [physicist], required)
    assert alone.suggestions == ()
    assert [u.reason for u in alone.unassigned] == ["нет наставника с подходящим предметом"]


def test_the_grade_rule_is_a_must_have_by_default_and_configurable():
    younger = mentee(1, grade=7)
    student_mentor = mentor(10, category=STUDENT, grade=9)
    assert score(younger, student_mentor).possible
    stricter = Weights(min_grade_gap=3)
    breakdown = score(younger, student_mentor, stricter)
    gap = next(p for p in breakdown.parts if p.code == "gap")
    assert gap.failed and gap.explanation == "наставник старше на 2 класса, а нужно — не меньше чем на 3 класса"
    result = suggest([younger], [student_mentor], stricter)
    assert [u.reason for u in result.unassigned] == ["нет наставника с подходящей разницей в возрасте или классах"]
    # A much older student mentor is allowed but counts half.
    far = score(mentee(2, grade=5), mentor(11, category=STUDENT, grade=11))
    far_gap = next(p for p in far.parts if p.code == "gap")
    assert far_gap.value == 0.5
    assert far_gap.explanation == "наставник старше на 6 классов: больше рекомендуемой разницы (5 классов)"


def test_a_teacher_mentor_of_a_teacher_is_more_experienced():
    young = mentee(1, category=TEACHER, experience_years=1)
    assert score(young, mentor(10, experience_years=12)).possible
    too_little = score(young, mentor(11, experience_years=2))
    assert not too_little.possible
    assert too_little.parts[2].explanation == "стаж наставника больше на 1 год, а нужно — не меньше чем на 3 года"
    assert score(young, mentor(12, experience_years=None)).possible  # unknown never fails a must-have
    assert (
        score(mentee(2, grade=8), mentor(13, category=STUDENT, grade=7)).parts[2].explanation
        == "наставник младше на 1 класс, а должен быть старше не меньше чем на 2 класса"
    )


def test_pinned_pairs_are_kept_and_forbidden_pairs_never_suggested():
    a_words = " ".join(f"слово{i}а" for i in range(10))
    a, b = mentee(1, needs=a_words), mentee(2, needs="шахматы")
    x, y = mentor(10, competencies=a_words + " шахматы"), mentor(20, competencies="шахматы")

    pinned = suggest([a, b], [x, y], ONLY_NEEDS, pinned={(2, 10)})
    assert pinned.pairs == {(2, 10), (1, 20)}
    assert pinned.for_mentee(2).pinned and not pinned.for_mentee(1).pinned

    forbidden = suggest([a, b], [x, y], ONLY_NEEDS, forbidden={(1, 10)})
    assert (1, 10) not in forbidden.pairs and forbidden.pairs == {(1, 20), (2, 10)}

    nobody = suggest([a], [x, y], ONLY_NEEDS, forbidden={(1, 10), (1, 20)})
    assert [u.reason for u in nobody.unassigned] == [REASON_ALL_FORBIDDEN]


def test_forbidding_the_suggested_pairs_and_rerunning_gives_other_pairs():
    mentees, mentors = random_profiles(60, 15, seed=5)
    first = suggest(mentees, mentors)
    second = suggest(mentees, mentors, forbidden=first.pairs)
    assert not first.pairs & second.pairs
    assert second.suggestions


def test_a_pin_is_kept_even_when_it_fails_a_must_have():
    e, m = mentee(1, grade=8), mentor(10, category=STUDENT, grade=8)
    result = suggest([e], [m], pinned={(1, 10)})
    assert result.pairs == {(1, 10)}
    assert not result.suggestions[0].breakdown.possible


@pytest.mark.parametrize(
    ("pinned", "forbidden", "message"),
    [
        (
            {(1, 10), (2, 10)},
            set(),
            "За наставником «Наставник 10» закреплено больше наставляемых (2), чем у него мест (1).",
        ),
        ({(1, 10), (1, 20)}, set(), "Наставляемый «Наставляемый 1» закреплён за двумя наставниками."),
        ({(1, 10)}, {(1, 10)}, "Пара «Наставляемый 1» — «Наставник 10» одновременно закреплена и запрещена."),
        ({(1, 99)}, set(), "Закреплённая пара ссылается на наставляемого или наставника, которых нет в подборе."),
    ],
)
def test_inconsistent_pins_are_refused(pinned, forbidden, message):
    with pytest.raises(MatchingError) as error:
        suggest([mentee(1), mentee(2)], [mentor(10), mentor(20)], pinned=pinned, forbidden=forbidden)
    assert str(error.value) == message


# --- Reasons, breakdowns, determinism ------------------------------------------------------


def test_unassigned_mentees_get_the_right_reason():
    e = mentee(1, grade=7, subjects=frozenset({"химия"}))
    assert [u.reason for u in suggest([e], []).unassigned] == [REASON_NO_MENTORS]
    full = mentor(10, capacity=0)
    assert [u.reason for u in suggest([e], [full]).unassigned] == [REASON_NO_FREE_PLACES]
    weights = Weights().with_setting("subject", required=True)
    same_grade = mentor(20, category=STUDENT, grade=7, subjects=frozenset({"химия"}))
    other_subject = mentor(30, subjects=frozenset({"история"}))
    assert [u.reason for u in suggest([e], [same_grade, other_subject], weights).unassigned] == [
        "нет наставника, подходящего сразу по всем обязательным критериям: «Предмет», «Разница в возрасте/классах»"
    ]


def test_the_breakdown_sums_to_the_total():
    mentees, mentors = random_profiles(100, 20, seed=11, forms=3)
    result = suggest(mentees, mentors, form_id=2)
    assert result.suggestions
    for suggestion in result.suggestions:
        breakdown = suggestion.breakdown
        assert [p.name for p in breakdown.parts] == [c.name for c in CRITERIA]
        assert math.isclose(sum(p.points for p in breakdown.parts), breakdown.total, abs_tol=1e-9)
        for part in breakdown.parts:
            assert part.value is None or 0 <= part.value <= 1
            assert 0 <= part.points <= part.weight
            assert part.explanation
    assert math.isclose(result.total, sum(s.breakdown.total for s in result.suggestions), abs_tol=1e-6)


def test_the_breakdown_explains_in_russian():
    e = MenteeProfile(
        id=1,
        name="Петров",
        needs=words("трудности с математикой"),
        word_forms={"математик": "математикой", "трудност": "трудности"},
        subjects=frozenset({"математика"}),
        grade=6,
        availability=frozenset({"вт", "чт", "онлайн"}),
    )
    m = mentor(
        10,
        competencies="математика, олимпиады",
        subjects=frozenset({"математика"}),
        availability=frozenset({"вт", "очно"}),
        preferred_forms=frozenset({5}),
    )
    parts = {p.code: p for p in score(e, m, form_id=5).parts}
    assert parts["needs"].explanation == "совпадает: математикой"
    assert parts["needs"].points == 4.0  # one of two words, weight 8
    assert parts["subject"].explanation == "общие предметы: математика"
    assert parts["gap"].explanation == "взрослый наставник"
    assert parts["availability"].value == 0  # in person against online
    assert parts["availability"].explanation == "разный формат (онлайн и очно); общие дни: вт"
    assert parts["form"].explanation == "наставник выбрал эту форму"


def test_the_same_input_gives_the_same_result_in_any_order():
    mentees, mentors = random_profiles(150, 30, seed=8)
    first = suggest(mentees, mentors)
    assert suggest(mentees, mentors) == first
    rng = random.Random(1)
    shuffled_mentees, shuffled_mentors = mentees[:], mentors[:]
    rng.shuffle(shuffled_mentees)
    rng.shuffle(shuffled_mentors)
    again = suggest(shuffled_mentees, shuffled_mentors)
    assert again.pairs == first.pairs
    assert again.suggestions == first.suggestions
    assert again.total == first.total


def test_weights_are_validated_and_round_trip():
    with pytest.raises(MatchingError) as error:
        Weights(settings={"subject": CriterionSetting(11)})
    assert str(error.value) == "Вес критерия «Предмет» должен быть целым числом от 0 до 10."
    with pytest.raises(MatchingError, match="Неизвестный критерий"):
        Weights().with_setting("colour", weight=1)
    with pytest.raises(MatchingError):
        Weights(min_grade_gap=6, max_grade_gap=5)
    weights = Weights(min_grade_gap=3).with_setting("form", weight=7, required=True)
    assert Weights.from_dict(weights.as_dict()).as_dict() == weights.as_dict()
    assert weights.setting("form") == CriterionSetting(7, True)
    assert weights.setting("needs") == CriterionSetting(8, False)


def test_a_weight_of_zero_scores_nothing_but_a_must_have_still_filters():
    weights = Weights(settings={c.code: CriterionSetting(0) for c in CRITERIA}).with_setting("form", required=True)
    e = mentee(1)
    other_form = mentor(10, preferred_forms=frozenset({2}))
    no_preference = mentor(20)
    result = suggest([e], [other_form, no_preference], weights, form_id=1)
    assert result.pairs == {(1, 20)} and result.total == 0


def test_very_large_costs_drop_only_the_spreading_tie_break(monkeypatch):
    mentees, mentors = random_profiles(80, 20, seed=4)
    exact = suggest(mentees, mentors)
    monkeypatch.setattr(matching, "_EXACT", 1)
    coarse = suggest(mentees, mentors)
    assert (len(coarse.suggestions), coarse.total) == (len(exact.suggestions), exact.total)


def test_500_mentees_and_100_mentors_are_matched_quickly():
    mentees, mentors = random_profiles(500, 100, seed=1)
    started = time.perf_counter()
    result = suggest(mentees, mentors)
    assert time.perf_counter() - started < 10
    assert len(result.suggestions) == min(500, sum(m.capacity for m in mentors))
