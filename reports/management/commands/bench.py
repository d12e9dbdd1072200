"""``manage.py bench``: page timings and query counts on generated data at two scales."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from organisations.russian import plural
from reports import bench


class Command(BaseCommand):
    help = (
        "Генерирует большой объём данных (организации «bench-…») и измеряет время ответа и число "
        "запросов основных страниц на малом и большом объёме. Запускается на отдельной базе данных."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=30, help="школ на большом объёме (по умолчанию 30)")
        parser.add_argument("--people", type=int, default=1000, help="участников в школе (по умолчанию 1000)")
        parser.add_argument("--repeat", type=int, default=7, help="запросов на страницу для медианы (по умолчанию 7)")
        parser.add_argument(
            "--year-people",
            type=int,
            default=1500,
            help="человек в школе для замера перехода на новый учебный год (по умолчанию 1500)",
        )
        parser.add_argument(
            "--only-year", action="store_true", help="только замер перехода на новый учебный год, без страниц района"
        )

        parser.add_argument(
            "--region",
            action="store_true",
            help="объём региона вместо района: --region-schools школ в --region-districts районах (для PostgreSQL)",
        )
        parser.add_argument("--region-schools", type=int, default=1000, help="школ в регионе (по умолчанию 1000)")
        parser.add_argument("--region-districts", type=int, default=40, help="районов в регионе (по умолчанию 40)")
        parser.add_argument("--region-people", type=int, default=500, help="участников в школе региона (500)")

    def handle(self, *args, schools, people, repeat, year_people=1500, only_year=False, **options):
        if options.get("region"):
            return self.handle_region(repeat=repeat, **options)
        if schools < 1 or people < 10 or repeat < 1:
            raise CommandError("Нужно не меньше 1 школы, 10 участников в школе и 1 повтора.")
        if foreign := bench.foreign_organisations():
            raise CommandError(
                "В базе данных есть организации, созданные не бенчмарком ("
                + ", ".join(foreign)
                + "). Бенчмарк удаляет и создаёт данные, поэтому запускается только на отдельной базе: "
                "make bench (база var/bench.sqlite3) или DATABASE_URL=… manage.py bench."
            )
        out = self.stdout
        started = time.perf_counter()
        bench.clear_bench_data()
        out.write(f"Данные прошлых запусков удалены за {time.perf_counter() - started:.1f} с.")
        if only_year:
            self._year(year_people)
            out.write(f"Всего: {time.perf_counter() - started:.1f} с.")
            return

        small = bench.Scale("малый", f"{bench.BENCH_PREFIX}small-", min(3, schools), max(10, people // 10))
        large = bench.Scale("большой", f"{bench.BENCH_PREFIX}large-", schools, people)
        for scale in (small, large):
            bench.prepare_scale(scale)
            total, count = scale.people_in_district, scale.schools_count
            out.write(
                f"Объём «{scale.label}»: {count} {plural(count, 'школа', 'школы', 'школ')}, "
                f"{total} {plural(total, 'участник', 'участника', 'участников')} "
                f"(в первой школе {scale.people_in_school}), сгенерировано за {scale.generation_seconds:.1f} с."
            )

        out.write("")
        out.write(
            f"Медиана времени ответа сервера по {repeat} {plural(repeat, 'запросу', 'запросам', 'запросам')} "
            "после одного прогревочного; число запросов к базе данных за один ответ."
        )
        measurements = [bench.measure(page, scale, repeat=repeat) for page in bench.PAGES for scale in (small, large)]
        for line in bench.format_table(measurements):
            out.write(line)
        out.write("")
        for warning, line in bench.query_growth_lines(measurements, small, large):
            out.write(self.style.WARNING(line) if warning else line)
        out.write("")
        for line in bench.matching_lines():
            out.write(line)
        self._year(year_people)
        out.write(f"Всего: {time.perf_counter() - started:.1f} с.")

    def _year(self, people: int) -> None:
        self.stdout.write("")
        for warning, line in bench.year_change_lines(people=people):
            self.stdout.write(self.style.WARNING(line) if warning else line)

    def handle_region(self, *, repeat, region_schools, region_districts, region_people, **options):
        from reports import bench_region

        if region_schools < region_districts or region_districts < 1 or region_people < 10:
            raise CommandError("Нужно не меньше 1 района, школ не меньше, чем районов, и 10 участников в школе.")
        if foreign := bench.foreign_organisations():
            raise CommandError("В базе данных есть организации, созданные не бенчмарком: " + ", ".join(foreign))
        out = self.stdout
        started = time.perf_counter()
        bench_region.clear_region()
        bench.clear_bench_data()
        out.write(f"Данные прошлых запусков удалены за {time.perf_counter() - started:.1f} с.")
        scale = bench_region.prepare_region(
            bench_region.RegionScale(
                schools=region_schools, districts=region_districts, people_per_school=region_people
            )
        )
        out.write(
            f"Регион: {region_schools} {plural(region_schools, 'школа', 'школы', 'школ')} в {region_districts} "
            f"{plural(region_districts, 'районе', 'районах', 'районах')}, {scale.people} "
            f"{plural(scale.people, 'участник', 'участника', 'участников')}; сгенерировано за "
            f"{scale.generation_seconds:.1f} с (база: {connection.vendor})."
        )
        out.write(f"Медиана времени ответа по {repeat} {plural(repeat, 'запросу', 'запросам', 'запросам')}:")
        for name, median_ms, queries, error in bench_region.measure_region(scale, repeat=repeat):
            if error:
                out.write(self.style.WARNING(f"  {name}: {error}"))
            else:
                out.write(f"  {name}: {median_ms:.0f} мс, запросов {queries}")
        out.write(f"Всего: {time.perf_counter() - started:.1f} с.")
