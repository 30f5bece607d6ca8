"""Times Helm's own engine (helm-python-sdk: Helm's Go SDK as a shared library) on charts, for
crates/akslint-helm/benches/charts.rs: Python's start and the import are not timed, each chart's
load and render are, in this process.

Usage: helm_time.py RUNS CHART_DIR:VALUES_FILE|- ...
Prints one line per chart: its folder, the median wall time and the median CPU time of the
process (Go's threads included) in milliseconds, and the number of templates rendered (or
"refused").
"""

import statistics
import sys
import time

import helm_python as helm


def time_chart(chart_dir: str, values_path: str, runs: int) -> str:
    values = None
    if values_path != "-":
        with open(values_path, encoding="utf-8") as file:
            values = helm.values_from_yaml(file.read())
    seconds = []
    cpu = []
    rendered = {}
    for _ in range(runs + 1):
        started = time.perf_counter()
        cpu_started = time.process_time()
        try:
            chart = helm.Chart.load(chart_dir)
            rendered = chart.render(values=values, name="rel", namespace="default", is_install=True)
        except helm.HelmError:
            return f"{chart_dir}\trefused"
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    # The first run warms the caches.
    wall, cpu_time = statistics.median(seconds[1:]), statistics.median(cpu[1:])
    return f"{chart_dir}\t{wall * 1e3:.2f}\t{cpu_time * 1e3:.2f}\t{len(rendered)}"


def main() -> None:
    runs = int(sys.argv[1])
    for argument in sys.argv[2:]:
        chart_dir, values_path = argument.rsplit(":", 1)
        print(time_chart(chart_dir, values_path, runs), flush=True)


if __name__ == "__main__":
    main()
