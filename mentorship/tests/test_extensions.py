"""What the programme adds to the person card and the mentor register."""

import datetime

from django.urls import reverse
from django.utils import timezone

from mentorship.models import TrainingAttendance, TrainingGroup, TrainingMember, TrainingSession
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from participants.tests.factories import MentorEntryFactory, PersonFactory, TeacherFactory


def test_person_card_shows_pairs_as_mentor_and_as_mentee(client, school_a, curator_a):
    mentor = TeacherFactory(organisation=school_a)
    mentee = PersonFactory(organisation=school_a)
    PairFactory(mentor=mentor, mentees=[mentee])
    client.force_login(curator_a)
    mentor_card = client.get(mentor.get_absolute_url()).content.decode()
    assert "Наставнические пары и обучение" in mentor_card and "Наставник ·" in mentor_card
    mentee_card = client.get(mentee.get_absolute_url()).content.decode()
    assert "Наставляемый ·" in mentee_card


def test_card_without_pairs_or_training_has_no_programme_section(client, school_a, curator_a):
    client.force_login(curator_a)
    card = client.get(PersonFactory(organisation=school_a).get_absolute_url()).content.decode()
    assert "Наставнические пары и обучение" not in card


def test_training_shows_on_the_card_and_in_the_register(client, school_a, curator_a):
    entry = MentorEntryFactory(organisation=school_a, status="approved", approved_on=timezone.localdate())
    programme = ProgrammeFactory(organisation=school_a)
    group = TrainingGroup.objects.create(organisation=school_a, programme=programme, title="Группа 1")
    TrainingMember.objects.create(organisation=school_a, group=group, mentor=entry.person)
    past = timezone.localdate() - datetime.timedelta(days=7)
    sessions = [
        TrainingSession.objects.create(organisation=school_a, group=group, held_on=past, topic=f"Тема {n}")
        for n in range(3)
    ]
    TrainingAttendance.objects.create(organisation=school_a, session=sessions[0], mentor=entry.person)
    client.force_login(curator_a)
    card = client.get(entry.person.get_absolute_url()).content.decode()
    assert "«Школа наставника»: посетил(а) 1 из 3 занятий." in card
    register = client.get(reverse("participants:mentor_register", kwargs={"org": school_a.slug})).content.decode()
    assert "<th>Школа наставника</th>" in register and "1 из 3 занятий" in register
