"""Renders charts with Helm's own Go engine (helm-python-sdk, no helm binary) as the reference
for crates/akslint-helm/tests/helm_oracle.rs.

Usage: helm_render.py CHART_DIR [VALUES_FILE|-]  renders one chart and prints one JSON object:
{"templates": {name: text}}, or {"error": message} when Helm refuses to render.

Usage: helm_render.py  (no arguments) reads jobs from stdin, one a line:
`CHART_DIR<TAB>VALUES_FILE` (`-` for the chart's defaults), and writes one such JSON object a
line, in the jobs' order, so that a test pays Python's and the shared library's start-up once.
"""

import json
import sys

import helm_python as helm


def render(chart_dir: str, values_path: str) -> dict:
    try:
        chart = helm.Chart.load(chart_dir)
        values = None
        if values_path != "-":
            with open(values_path, encoding="utf-8") as file:
                values = helm.values_from_yaml(file.read())
        rendered = chart.render(values=values, name="rel", namespace="default", is_install=True)
    except helm.HelmError as error:
        return {"error": str(error)}
    return {"templates": rendered}


def main() -> None:
    if len(sys.argv) > 1:
        values_path = sys.argv[2] if len(sys.argv) > 2 else "-"
        json.dump(render(sys.argv[1], values_path), sys.stdout)
        return
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line:
            continue
        chart_dir, _, values_path = line.partition("\t")
        json.dump(render(chart_dir, values_path or "-"), sys.stdout)
        sys.stdout.write("\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
