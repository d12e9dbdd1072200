"""Daily (cron): anonymises people whose consent was withdrawn 30 or more days ago (152-ФЗ, ч. 5 ст. 21)."""

from django.core.management.base import BaseCommand

from organisations.russian import plural
from participants.services import ANONYMISE_AFTER_DAYS, people_anonymise_due


class Command(BaseCommand):
    help = (
        f"Обезличивает данные людей, у которых {ANONYMISE_AFTER_DAYS} дней назад или раньше "
        f"отозвано согласие на обработку персональных данных. Запускается ежедневно."
    )

    def handle(self, *args, **options):
        count = people_anonymise_due()
        if count == 0:
            self.stdout.write("Обезличивать некого: ни у кого не истёк срок после отзыва согласия.")
            return
        verb = plural(count, "Обезличен", "Обезличено", "Обезличено")
        self.stdout.write(self.style.SUCCESS(f"{verb} {count} {plural(count, 'человек', 'человека', 'человек')}."))
