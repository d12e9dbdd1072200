"""The school's own wording of the employee mentor's documents (consent, additional agreement,
refusal, notice of cancellation); without a row the standard text of reports.employees.texts."""

from django.db import models
from django.db.models import Q

from organisations.models import Organisation


class EmployeeDocumentTemplate(models.Model):
    class Kind(models.TextChoices):
        CONSENT = "consent", "Согласие работника на наставничество"
        AGREEMENT = "agreement", "Дополнительное соглашение к трудовому договору"
        REFUSAL = "refusal", "Заявление работника об отказе от наставничества"
        NOTICE = "notice", "Уведомление работодателя об отмене наставничества"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="employee_document_templates", null=True, blank=True
    )
    kind = models.CharField("документ", max_length=16, choices=Kind.choices)
    body = models.TextField(
        "текст", help_text="Абзацы разделяются пустой строкой; строка, начинающаяся с «#», — заголовок раздела."
    )
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "шаблон документа наставника-работника"
        verbose_name_plural = "шаблоны документов наставников-работников"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                name="unique_employee_document_template",
                violation_error_message="У школы уже есть своя редакция этого документа.",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(organisation__isnull=True), name="unique_standard_employee_template"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
