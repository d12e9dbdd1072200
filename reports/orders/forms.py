from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from mentorship.models import IndividualPlan, Pair, Programme
from organisations.models import User
from organisations.roles import Role
from participants.models import MentorEntry, PartnerOrganisation, Person
from reports.orders.kinds import order_type, order_type_of, order_types
from reports.orders.models import Order, OrderNumberSequence

# A plan is approved for a pair at work: a draft pair has no order behind it yet.
PLAN_PAIR_STATUSES = (Pair.Status.APPROVED, Pair.Status.ACTIVE)


class OrderNewForm(forms.Form):
    kind = forms.ChoiceField(label="Вид приказа")
    programme = forms.ModelChoiceField(
        label="Программа",
        queryset=Programme.objects.none(),
        required=False,
        help_text="Из программы берутся пары, планы, наставники и куратор.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        district = organisation.is_authority
        self.fields["kind"].choices = [(t.code, t.title) for t in order_types(district=district)]
        if district:
            del self.fields["programme"]
        else:
            programmes = organisation.programmes.order_by("-school_year", "kind")
            self.fields["programme"].queryset = programmes
            self.fields["programme"].initial = programmes.first()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and order_type(kind).needs_programme and not data.get("programme"):
            self.add_error("programme", "Выберите программу: приказ школы относится к программе наставничества.")
        return data


class OrderTextForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = [
            "title",
            "preamble",
            "control_text",
            "curator",
            "include_regulation",
            "include_roadmap",
            "regulation_text",
        ]
        widgets = {
            "preamble": forms.Textarea(attrs={"rows": 4}),
            "regulation_text": forms.Textarea(attrs={"rows": 10}),
        }

    pairs = forms.ModelMultipleChoiceField(
        label="Пары и группы", queryset=Pair.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    plans = forms.ModelMultipleChoiceField(
        label="Индивидуальные планы",
        queryset=IndividualPlan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mentor_entries = forms.ModelMultipleChoiceField(
        label="Наставники",
        queryset=MentorEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.ModelMultipleChoiceField(
        label="Участники", queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    partners = forms.ModelMultipleChoiceField(
        label="Организации-партнёры",
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order: Order = self.instance
        organisation = order.organisation
        wanted = order_type_of(order).subjects
        programme = order.programme
        self.fields["curator"].queryset = User.objects.filter(memberships__organisation=organisation).distinct()
        self.fields["curator"].label_from_instance = lambda user: user.display_name
        if "curator" not in wanted:
            del self.fields["curator"]
        if "regulation" not in wanted:
            for name in ("include_regulation", "include_roadmap", "regulation_text"):
                del self.fields[name]
        if "pairs" in wanted and programme:
            self.fields["pairs"].queryset = (
                organisation.pairs.filter(programme=programme)
                .filter(Q(status=Pair.Status.DRAFT) | Q(orders=order))
                .labelled()  # «Кляпка О. В. → Иванов П., 7 А (…)»: two pairs of one mentor differ
                .distinct()
            )
            self.initial["pairs"] = list(order.pairs.values_list("pk", flat=True))
            if not self.fields["pairs"].queryset.exists():
                # An empty list of checkboxes says nothing: say which pairs an order takes and where they come from.
                matching = reverse("mentorship:matching", args=[organisation.slug, programme.pk])
                self.fields["pairs"].help_text = format_html(
                    "В программе нет черновиков пар: приказ утверждает только черновики, а уже утверждённые "
                    'пары закреплены своим приказом. Сформируйте пары <a href="{}">подбором</a> или вручную.',
                    matching,
                )
        else:
            del self.fields["pairs"]
        if "plans" in wanted and programme:
            self.fields["plans"].queryset = (
                IndividualPlan.objects.filter(organisation=organisation, pair__programme=programme)
                .filter(Q(status=IndividualPlan.Status.DRAFT, pair__status__in=PLAN_PAIR_STATUSES) | Q(orders=order))
                .select_related("pair__mentor", "pair__form", "pair__programme")
                .prefetch_related("pair__pair_mentees__mentee")
                .distinct()
            )
            self.fields["plans"].label_from_instance = lambda plan: plan.pair.label
            self.initial["plans"] = list(order.plans.values_list("pk", flat=True))
        else:
            del self.fields["plans"]
        if "mentor_entries" in wanted and programme:
            self.fields["mentor_entries"].queryset = (
                organisation.mentor_entries.filter(school_year=programme.school_year)
                .filter(Q(status=MentorEntry.Status.CANDIDATE) | Q(orders=order))
                .select_related("person")
                .distinct()
            )
            self.fields["mentor_entries"].label_from_instance = lambda entry: entry.person.full_name
            self.initial["mentor_entries"] = list(order.mentor_entries.values_list("pk", flat=True))
        else:
            del self.fields["mentor_entries"]
        if "people" in wanted and programme:
            in_programme = Q(mentor_pairs__programme=programme) | Q(mentee_pairs__programme=programme)
            self.fields["people"].queryset = (
                organisation.people.filter(in_programme | Q(orders=order))
                .distinct()
                .order_by("last_name", "first_name")
            )
            self.fields["people"].label_from_instance = lambda person: person.full_name
            self.fields["people"].help_text = "Наставники и наставляемые программы."
            self.initial["people"] = list(order.people.values_list("pk", flat=True))
        else:
            del self.fields["people"]
        if "partners" in wanted:
            self.fields["partners"].queryset = organisation.partners.order_by("name")
            self.initial["partners"] = list(order.partners.values_list("pk", flat=True))
        else:
            del self.fields["partners"]

    def subjects(self) -> dict:
        names = ("pairs", "plans", "mentor_entries", "people", "partners")
        return {name: self.cleaned_data.get(name, ()) for name in names if name in self.fields}


class OrderPointForm(forms.Form):
    action = forms.CharField(label="Содержание пункта", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    responsible = forms.CharField(label="Ответственный", max_length=300, required=False)
    deadline = forms.CharField(label="Срок", max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("action", "").strip() and (data.get("responsible") or data.get("deadline")):
            self.add_error("action", "Напишите, что предписывает пункт, или очистите его ответственного и срок.")
        return data


class BaseOrderPointFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The filled, not deleted points in their order, as the services take them."""
        return [
            {name: row[name].strip() for name in ("action", "responsible", "deadline")}
            for row in self.cleaned_data
            if row and not row.get("DELETE") and row["action"].strip()
        ]


OrderPointFormSet = forms.formset_factory(OrderPointForm, formset=BaseOrderPointFormSet, extra=1, can_delete=True)


class OrderReturnForm(forms.Form):
    comment = forms.CharField(label="Что исправить", widget=forms.Textarea(attrs={"rows": 3}))


class OrderCancelForm(forms.Form):
    reason = forms.CharField(label="Основание отмены", widget=forms.Textarea(attrs={"rows": 2}))


class OrderEsignForm(forms.Form):
    """The electronic signature's certificate as the director reads it from the signing program."""

    certificate = forms.CharField(
        label="Серийный номер сертификата",
        max_length=100,
        help_text="Как в свойствах сертификата, например 01D7A3C5E2B94F1000000000000000",
    )
    owner = forms.CharField(label="Владелец сертификата", max_length=300, help_text="Фамилия, имя, отчество.")
    valid_from = forms.DateField(label="Действителен с", widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label="Действителен по", widget=forms.DateInput(attrs={"type": "date"}))


class OrderSequenceForm(forms.ModelForm):
    class Meta:
        model = OrderNumberSequence
        fields = ["last_number"]


class OrderTemplateForm(forms.Form):
    title = forms.CharField(label="Заголовок", max_length=500)
    preamble = forms.CharField(label="Преамбула", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    control_text = forms.CharField(label="Контроль исполнения", max_length=500, required=False)
    is_published = forms.BooleanField(
        label="Опубликовать для школ района",
        required=False,
        help_text="Школы будут составлять приказы по этой редакции.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        if not organisation.is_authority:
            del self.fields["is_published"]


class RegulationForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300)
    body = forms.CharField(
        label="Текст",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Абзацы разделяйте пустой строкой; строка, начинающаяся с «# », — заголовок раздела.",
    )
    is_published = forms.BooleanField(label="Опубликовать для школ района", required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        if not organisation.is_authority:
            del self.fields["is_published"]


class OrderVisaForm(forms.Form):
    """«Согласовать» or «Вернуть с замечанием» on the visa whose turn it is."""

    comment = forms.CharField(
        label="Замечание",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Обязательно, если возвращаете приказ составителю.",
    )


class ApprovalStepForm(forms.Form):
    """One step of the approval route: a role or a named person, and the order types it skips."""

    position = forms.IntegerField(label="№ по порядку", min_value=1, max_value=99, required=False)
    role = forms.ChoiceField(label="Роль", required=False)
    user = forms.ModelChoiceField(label="или сотрудник", queryset=User.objects.none(), required=False)
    skip_kinds = forms.MultipleChoiceField(
        label="Не нужна для приказов",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation, roles, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—")] + [(role, Role(role).label) for role in roles]
        self.fields["user"].queryset = members
        self.fields["user"].label_from_instance = lambda user: user.display_name
        self.fields["user"].empty_label = "—"
        self.fields["skip_kinds"].choices = [(t.code, t.title) for t in order_types(district=organisation.is_district)]

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("role") and data.get("user") is None


ApprovalStepFormSet = forms.formset_factory(ApprovalStepForm, extra=1, can_delete=True, max_num=20)
