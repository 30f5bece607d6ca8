"""Renders a chart with Helm's own Go engine (helm-python-sdk, no helm binary) as the
reference for crates/akslint-helm/tests/helm_oracle.rs: prints a JSON object of template name
to rendered text, or {"error": message} when Helm refuses to render.

Usage: helm_render.py CHART_DIR [VALUES_FILE|-]
"""

import json
import sys

import helm_python as helm


def main() -> None:
    chart = helm.Chart.load(sys.argv[1])
    values = None
    if len(sys.argv) > 2 and sys.argv[2] != "-":
        with open(sys.argv[2], encoding="utf-8") as file:
            values = helm.values_from_yaml(file.read())
    try:
        rendered = chart.render(values=values, name="rel", namespace="default", is_install=True)
    except helm.HelmError as error:
        json.dump({"error": str(error)}, sys.stdout)
        return
    json.dump({"templates": rendered}, sys.stdout)


if __name__ == "__main__":
    main()
