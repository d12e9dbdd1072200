"""``manage.py purge_year_changes``: the people's data of a new school year's change are kept only
while it can be undone (7 days); drafts nobody applied go after 90 days (run it from cron daily)."""

from django.core.management.base import BaseCommand

from mentorship.services_year import year_changes_purge


class Command(BaseCommand):
    help = (
        "Удаляет данные людей из применённых переходов на новый учебный год, которые уже нельзя отменить, "
        "и неприменённые черновики старше 90 дней."
    )

    def handle(self, *args, **options):
        stripped, deleted = year_changes_purge()
        self.stdout.write(f"Очищено переходов: {stripped}; удалено черновиков: {deleted}.")
