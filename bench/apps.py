from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's commands (bench, bench_data, bench_import, bench_publishing, bench_pull_now).

    No models and no migrations: it only reads and writes the other apps' tables. Its floor page is served
    by bench/urls.py alone, which the benchmark puts in place with ROOT_URLCONF; the project's URLs never
    include it.
    """

    name = "bench"
    verbose_name = "Benchmark"
    default_auto_field = "django.db.models.BigAutoField"
