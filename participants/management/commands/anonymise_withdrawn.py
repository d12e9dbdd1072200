"""Daily (cron): anonymises people whose consent was withdrawn 30 or more days ago (152-ФЗ, ч. 5 ст. 21),
and documents it: an act of destruction with the extract from the event journal per school
(приказ Роскомнадзора № 179), listed on «Акты об уничтожении персональных данных».
``--background`` queues the same run for ``manage.py db_worker`` instead of running it here."""

from django.core.management.base import BaseCommand

from organisations.russian import plural
from participants.destruction import anonymise_withdrawn_task, people_anonymise_due
from participants.services import ANONYMISE_AFTER_DAYS


class Command(BaseCommand):
    help = (
        f"Обезличивает данные людей, у которых {ANONYMISE_AFTER_DAYS} дней назад или раньше "
        f"отозвано согласие на обработку персональных данных, и составляет акты об уничтожении. "
        f"Запускается ежедневно; с --background ставит задачу фоновому обработчику (db_worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--background", action="store_true", help="поставить задачу фоновому обработчику")

    def handle(self, *args, **options):
        if options["background"]:
            result = anonymise_withdrawn_task.enqueue()
            self.stdout.write(f"Задача обезличивания поставлена в очередь фонового обработчика: {result.id}.")
            return
        count = people_anonymise_due()
        if count == 0:
            self.stdout.write("Обезличивать некого: ни у кого не истёк срок после отзыва согласия.")
            return
        verb = plural(count, "Обезличен", "Обезличено", "Обезличено")
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {count} {plural(count, 'человек', 'человека', 'человек')}. "
                "Акты об уничтожении персональных данных — в разделе «Акты об уничтожении»."
            )
        )
