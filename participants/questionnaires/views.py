"""Questionnaires: the builder, sending links, the list of invitations and the public answer page."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from organisations.russian import plural
from organisations.school_year import current_school_year
from organisations.tenancy import OrganisationMixin
from participants.forms import DateInput
from participants.journal import access_record
from participants.models import AccessLogEntry, Invitation, Person, Question, QuestionnaireTemplate, Response

from .forms import DEFAULT_LINK_DAYS, expires_at_end_of, repeat_field
from .links import link_message, links_text
from .services import (
    ERROR_INVALID_LINK,
    invitation_by_token,
    invitation_refusal,
    invitation_reissue,
    invitations_send,
    questionnaire_template_create,
    questionnaire_template_edit,
    response_save,
    templates_current_for,
    templates_for,
)

DATE_INPUT = DateInput()


# --- The builder ------------------------------------------------------------------------------


class TemplateForm(forms.Form):
    title = forms.CharField(label="Название анкеты", max_length=300)
    audience = forms.ChoiceField(label="Для кого", choices=QuestionnaireTemplate.Audience.choices)
    phase = forms.ChoiceField(label="Этап", choices=QuestionnaireTemplate.Phase.choices)


class QuestionForm(forms.Form):
    text = forms.CharField(label="Вопрос", max_length=500)
    # The initial value is what the select shows first: an untouched blank row is not "changed".
    kind = forms.ChoiceField(label="Тип ответа", choices=Question.Kind.choices, initial=Question.Kind.SCALE_10)
    required = forms.BooleanField(label="Обязательный", required=False)
    choices = forms.CharField(
        label="Варианты ответа",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Для вопросов с вариантами: каждый вариант с новой строки.",
    )
    profile_field = forms.ChoiceField(
        label="Переносится в профиль",
        choices=Question.ProfileField.choices,
        required=False,
        help_text="Ответ дополнит профиль участника, по которому подбираются пары.",
    )

    def clean_choices(self):
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


QuestionFormSet = forms.formset_factory(QuestionForm, extra=1, can_order=True, can_delete=True)


def _questions_from(formset) -> list[dict]:
    kept = [f for f in formset.ordered_forms if f.has_changed() or f.initial]
    return [
        {k: f.cleaned_data[k] for k in ("text", "kind", "required", "choices", "profile_field")}
        for f in kept
        if f.cleaned_data.get("text")
    ]


class QuestionnaireListView(OrganisationMixin, ListView):
    required_capability = "participants.view"
    template_name = "participants/questionnaire_list.html"
    context_object_name = "templates"

    def get_queryset(self):
        return templates_current_for(organisation=self.organisation).annotate(
            questions_count=Count("questions", distinct=True),
            invitations_count=Count("invitations", distinct=True),
            answered_count=Count("invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True),
        )


class QuestionnaireBuilderView(OrganisationMixin, View):
    """A new questionnaire (no pk) or an edit of one, which may become a new version."""

    required_capability = "participants.edit"

    def get_template(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(templates_for(organisation=self.organisation), pk=self.kwargs["pk"])

    def render(self, template, form, formset):
        return render(
            self.request,
            "participants/questionnaire_form.html",
            {
                "organisation": self.organisation,
                "access": self.access,
                "questionnaire": template,
                "form": form,
                "formset": formset,
            },
        )

    def get(self, request, *args, **kwargs):
        template = self.get_template()
        if template is None:
            return self.render(None, TemplateForm(), QuestionFormSet(prefix="q"))
        form = TemplateForm(initial={"title": template.title, "audience": template.audience, "phase": template.phase})
        initial = [
            {
                "text": q.text,
                "kind": q.kind,
                "required": q.required,
                "choices": "\n".join(q.choices),
                "profile_field": q.profile_field,
                "ORDER": i,
            }
            for i, q in enumerate(template.questions.all(), start=1)
        ]
        return self.render(template, form, QuestionFormSet(prefix="q", initial=initial))

    def post(self, request, *args, **kwargs):
        template = self.get_template()
        form = TemplateForm(request.POST)
        formset = QuestionFormSet(request.POST, prefix="q")
        if template is not None:
            form.fields["audience"].required = form.fields["phase"].required = False
        if form.is_valid() and formset.is_valid():
            questions = _questions_from(formset)
            try:
                if template is None:
                    saved = questionnaire_template_create(
                        organisation=self.organisation,
                        title=form.cleaned_data["title"],
                        audience=form.cleaned_data["audience"],
                        phase=form.cleaned_data["phase"],
                        questions=questions,
                    )
                    messages.success(request, f"Анкета «{saved.title}» создана.")
                else:
                    saved = questionnaire_template_edit(
                        organisation=self.organisation,
                        template=template,
                        title=form.cleaned_data["title"],
                        questions=questions,
                    )
                    if saved.pk != template.pk:
                        messages.success(
                            request,
                            f"Создана версия {saved.version} анкеты «{saved.title}»; "
                            "ответы на прежнюю версию сохранены.",
                        )
                    else:
                        messages.success(request, f"Анкета «{saved.title}» сохранена.")
                return redirect("participants:questionnaire_list", org=self.organisation.slug)
            except ValidationError as error:
                form.add_error(None, error)
        return self.render(template, form, formset)


# --- Sending ------------------------------------------------------------------------------


class SendForm(forms.Form):
    TARGETS = [("class", "класс"), ("mentors", "база наставников"), ("mentees", "база наставляемых")]

    target = forms.ChoiceField(label="Кому", choices=TARGETS, widget=forms.RadioSelect, initial="class")
    grade = forms.IntegerField(label="Класс (параллель)", min_value=1, max_value=11, required=False)
    class_letter = forms.CharField(label="Литера", max_length=3, required=False)
    school_year = forms.IntegerField(
        label="Учебный год", min_value=2000, max_value=2100, help_text="Год начала учебного года, например 2026."
    )
    expires_on = forms.DateField(label="Ссылка действует по", widget=DATE_INPUT)
    repeat = repeat_field()

    def clean(self):
        data = super().clean()
        if data.get("target") == "class" and not data.get("grade"):
            self.add_error("grade", "Укажите класс.")
        if (expires_on := data.get("expires_on")) and expires_on < timezone.localdate():
            self.add_error("expires_on", "Дата не может быть в прошлом.")
        return data


def _recipients(organisation, data):
    people = Person.objects.filter(organisation=organisation, anonymised_at__isnull=True)
    if data["target"] == "class":
        return people.filter(
            category=Person.Category.STUDENT, grade=data["grade"], class_letter=data["class_letter"].strip().upper()
        )
    if data["target"] == "mentors":
        return people.filter(mentor_entries__school_year=data["school_year"]).exclude(mentor_entries__status="left")
    return people.filter(mentee_entries__school_year=data["school_year"]).exclude(mentee_entries__status="left")


def links_sent(*, request, organisation, template, people, expires_on, repeat: bool = False) -> dict:
    """Sends the template to the people and returns what the result page shows (links once).

    Raises ValidationError from the service. Used by the class/base sending page here and by the
    pair and programme pages of mentorship.
    """
    people = list(people)
    created, skipped = invitations_send(
        organisation=organisation,
        template=template,
        people=people,
        expires_at=expires_at_end_of(expires_on),
        user=request.user,
        repeat=repeat,
    )
    already = len(people) - len(created) - len(skipped)
    links = [
        (s.invitation.person, request.build_absolute_uri(reverse("questionnaire_answer", args=[s.token])))
        for s in created
    ]
    if links:
        access_record(
            request=request,
            organisation=organisation,
            action=AccessLogEntry.Action.EXPORT,
            what=f"Ссылки на анкету «{template.title}»",
            people_count=len(links),
        )
    return {
        "sent": True,
        "questionnaire": template,
        "links": links,
        "links_text": links_text(links),
        "skipped": skipped,
        "already": already,
        "found": len(people),
        "created_label": plural(len(created), "ссылка создана", "ссылки созданы", "ссылок создано"),
        "skipped_label": plural(len(skipped), "человек", "человека", "человек"),
        "already_label": plural(already, "человек уже получил", "человека уже получили", "человек уже получили"),
    }


class InvitationSendView(OrganisationMixin, View):
    required_capability = "participants.edit"

    def get_template(self):
        return get_object_or_404(templates_current_for(organisation=self.organisation), pk=self.kwargs["pk"])

    def render(self, template, form, **extra):
        return render(
            self.request,
            "participants/questionnaire_send.html",
            {"organisation": self.organisation, "access": self.access, "questionnaire": template, "form": form} | extra,
        )

    def get(self, request, *args, **kwargs):
        template = self.get_template()
        initial = {
            "school_year": current_school_year(),
            "expires_on": timezone.localdate() + datetime.timedelta(days=DEFAULT_LINK_DAYS),
        }
        return self.render(template, SendForm(initial=initial))

    def post(self, request, *args, **kwargs):
        template = self.get_template()
        form = SendForm(request.POST)
        if not form.is_valid():
            return self.render(template, form)
        people = _recipients(self.organisation, form.cleaned_data).distinct()
        try:
            result = links_sent(
                request=request,
                organisation=self.organisation,
                template=template,
                people=people,
                expires_on=form.cleaned_data["expires_on"],
                repeat=form.cleaned_data["repeat"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(template, form)
        return self.render(template, form, **result)


class InvitationReissueView(OrganisationMixin, View):
    """POST: a new link for a lost one; the page shows it once, the old link stops working."""

    required_capability = "participants.edit"

    def post(self, request, *args, **kwargs):
        invitations = Invitation.objects.filter(organisation=self.organisation).select_related("person", "template")
        invitation = get_object_or_404(invitations, pk=kwargs["pk"])
        back = reverse("participants:invitation_list", kwargs={"org": self.organisation.slug})
        try:
            sent = invitation_reissue(organisation=self.organisation, invitation=invitation)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(f"{back}?template={invitation.template_id}")
        access_record(
            request=request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.EXPORT,
            what=f"Новая ссылка на анкету «{invitation.template.title}»",
            person=invitation.person,
            people_count=1,
        )
        url = request.build_absolute_uri(reverse("questionnaire_answer", args=[sent.token]))
        return render(
            request,
            "participants/questionnaire_reissued.html",
            {
                "organisation": self.organisation,
                "access": self.access,
                "invitation": sent.invitation,
                "person": invitation.person,
                "questionnaire": invitation.template,
                "url": url,
                "message": link_message(
                    person=invitation.person,
                    questionnaire=invitation.template,
                    url=url,
                    expires_at=sent.invitation.expires_at,
                ),
                "back": back,
            },
        )


class InvitationListView(OrganisationMixin, ListView):
    """Invitations of the school, newest first; ?pending=1 shows who has not answered."""

    required_capability = "participants.view"
    template_name = "participants/questionnaire_invitations.html"
    context_object_name = "invitations"
    paginate_by = 100

    def get_queryset(self):
        invitations = Invitation.objects.filter(organisation=self.organisation).select_related("person", "template")
        self.questionnaire = None
        if pk := self.request.GET.get("template", "").strip():
            if pk.isdigit():
                self.questionnaire = templates_for(organisation=self.organisation).filter(pk=pk).first()
            invitations = invitations.filter(template=self.questionnaire)
        if self.request.GET.get("pending"):
            invitations = invitations.filter(answered_at__isnull=True)
        return invitations.order_by("template__title", "person__last_name", "person__first_name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["questionnaire"] = self.questionnaire
        context["now"] = timezone.now()
        context["pending"] = bool(self.request.GET.get("pending"))
        page = context["page_obj"]
        access_record(
            request=self.request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.VIEW,
            what="Приглашения к анкетам",
            people_count=len(page.object_list),
        )
        return context


# --- Answering without an account -------------------------------------------------------------

ERROR_REQUIRED = "Ответьте на этот вопрос."
YES_NO = [("yes", "Да"), ("no", "Нет")]


def _scale(n):
    return [(str(i), str(i)) for i in range(1, n + 1)]


class AnswerForm(forms.Form):
    """One field per question, named q<id>; a draft skips validation and keeps what was typed."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[f"q{q.pk}"] = self._field(q)

    @staticmethod
    def _field(q):
        common = {"label": q.text, "required": q.required, "error_messages": {"required": ERROR_REQUIRED}}
        Kind = Question.Kind
        radio = forms.RadioSelect(attrs={"class": "form-check-input"})
        if q.kind == Kind.SCALE_10:
            return forms.TypedChoiceField(choices=_scale(10), coerce=int, widget=radio, **common)
        if q.kind == Kind.SCALE_5:
            return forms.TypedChoiceField(choices=_scale(5), coerce=int, widget=radio, **common)
        if q.kind == Kind.SINGLE:
            return forms.ChoiceField(choices=[(c, c) for c in q.choices], widget=radio, **common)
        if q.kind == Kind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in q.choices],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                **common,
            )
        if q.kind == Kind.YES_NO:
            return forms.TypedChoiceField(choices=YES_NO, coerce=lambda v: v == "yes", widget=radio, **common)
        if q.kind == Kind.SHORT_TEXT:
            return forms.CharField(max_length=300, widget=forms.TextInput(attrs={"class": "form-control"}), **common)
        return forms.CharField(
            max_length=5000, widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}), **common
        )

    def answers(self) -> dict:
        return {str(q.pk): self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def draft(self) -> dict:
        draft = {}
        for q in self.questions:
            name = f"q{q.pk}"
            value = self.data.getlist(name) if q.kind == Question.Kind.MULTIPLE else self.data.get(name, "")
            draft[str(q.pk)] = value[:20] if isinstance(value, list) else value[:5000]
        return draft


def _draft_initial(draft: dict) -> dict:
    return {f"q{key}": value for key, value in draft.items()}


class AnswerView(View):
    """/q/<token>/: no session; the token alone names the invitation. Unknown tokens are a 404 page."""

    def dispatch(self, request, token: str):
        self.invitation = invitation_by_token(token)
        if self.invitation is None:
            # Also a link replaced by a re-issued one: say so in the respondent's page, not the staff 404.
            return render(request, "participants/answer_closed.html", {"reason": ERROR_INVALID_LINK}, status=404)
        refusal = invitation_refusal(self.invitation)
        if refusal is not None:
            return render(
                request,
                "participants/answer_closed.html",
                {"invitation": self.invitation, "reason": refusal},
                status=410 if self.invitation.answered_at or self.invitation.is_expired else 403,
            )
        self.questions = list(self.invitation.template.questions.all())
        return super().dispatch(request, token)

    def render(self, form, **extra):
        return render(
            self.request,
            "participants/answer_form.html",
            {"invitation": self.invitation, "questionnaire": self.invitation.template, "form": form} | extra,
        )

    def get(self, request, token):
        response = Response.objects.filter(invitation=self.invitation).first()
        initial = _draft_initial(response.draft) if response else {}
        return self.render(AnswerForm(questions=self.questions, initial=initial))

    def post(self, request, token):
        form = AnswerForm(request.POST, questions=self.questions)
        submit = "save_draft" not in request.POST
        if not submit:
            try:
                response_save(invitation=self.invitation, answers=form.draft(), submit=False)
            except ValidationError as error:
                return render(request, "participants/answer_closed.html", {"reason": error.messages[0]}, status=409)
            return self.render(
                AnswerForm(questions=self.questions, initial=_draft_initial(form.draft())), draft_saved=True
            )
        if not form.is_valid():
            return self.render(form)
        try:
            response_save(invitation=self.invitation, answers=form.answers(), submit=True)
        except ValidationError as error:
            return render(request, "participants/answer_closed.html", {"reason": error.messages[0]}, status=409)
        return render(request, "participants/answer_done.html", {"questionnaire": self.invitation.template})
