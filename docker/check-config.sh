#!/usr/bin/env bash
# Checks the Prometheus configuration with promtool (Debian package `prometheus`; installed when missing)
# and that the Grafana dashboard and provisioning files parse.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v promtool >/dev/null 2>&1; then
  echo "check-config: installing promtool (Debian package prometheus)" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

promtool check config prometheus/prometheus.yml

python3 - <<'PY'
import json, pathlib, sys
for p in sorted(pathlib.Path("grafana/dashboards").glob("*.json")):
    d = json.loads(p.read_text())
    exprs = [t["expr"] for panel in d["panels"] for t in panel.get("targets", [])]
    if not exprs:
        sys.exit(f"{p}: no queries")
    print(f"  SUCCESS: {p} parses ({len(d['panels'])} panels, {len(exprs)} queries)")
PY
