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


class AgreementVerification(models.Model):
    """The additional agreement's QR code (ГОСТ Р 7.0.97-2025): the token of its public verification
    page and the PDF as printed for signing, kept so the page's SHA-256 is that of every download.
    ``fingerprint`` is the hash of the document's data: when the agreement's data change, the file is
    printed anew (reports.employees.verification)."""

    agreement = models.OneToOneField(
        "mentorship.AdditionalAgreement", on_delete=models.CASCADE, related_name="verification"
    )
    token = models.CharField("ключ проверки", max_length=64, unique=True, editable=False)
    url = models.URLField("ссылка проверки", max_length=300, editable=False)
    pdf = models.FileField("PDF соглашения", upload_to="private", blank=True)
    pdf_sha256 = models.CharField("SHA-256 PDF", max_length=64, blank=True, default="")
    fingerprint = models.CharField("отпечаток данных", max_length=64, blank=True, default="")
    issued_at = models.DateTimeField("выдан", auto_now_add=True)

    class Meta:
        verbose_name = "проверка дополнительного соглашения"
        verbose_name_plural = "проверки дополнительных соглашений"

    def __str__(self) -> str:
        return f"Проверка: {self.agreement}"
