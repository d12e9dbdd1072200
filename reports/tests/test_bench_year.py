"""The benchmark's year change (``manage.py bench --only-year``) on a small school: it runs, and the
numbers it prints are the diff's and the timings' (the full size is measured by hand, not in tests)."""

from reports import bench


def test_year_change_bench_measures_preview_apply_and_undo(db, settings, tmp_path, reference_data):
    settings.MEDIA_ROOT = tmp_path / "media"
    timing = bench.measure_year_change(people=150)
    assert timing.counts["new"] > 0 and timing.counts["left"] > 0 and timing.counts["moved"] > 0
    assert timing.preview_queries < 40 and timing.page_queries < 25
    assert timing.apply_seconds < bench.YEAR_APPLY_TARGET
    lines = bench.year_change_lines(people=150)
    assert lines[1][1].startswith("  сравнение списков (предпросмотр):")
