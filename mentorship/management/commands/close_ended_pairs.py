"""``manage.py close_ended_pairs``: closes the pairs whose early end was ordered and whose last day has
come (run it from cron once a day, so reports read the right status even if nobody opens the pages)."""

from django.core.management.base import BaseCommand

from mentorship.services_employees import early_ends_close_due


class Command(BaseCommand):
    help = "Закрывает пары, досрочное прекращение которых утверждено приказом и последний день которых наступил."

    def handle(self, *args, **options):
        count = early_ends_close_due()
        self.stdout.write(f"Закрыто пар: {count}.")
