#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code (1.100.3, from the code-server npm
# package): builds and packages the extension into a .vsix, installs it into a VS Code server,
# opens the workbench in headless Chromium with a scratch copy of e2e/workspace, and runs the
# mocha suite (src/test/e2e) inside VS Code's extension host against `akslint lsp`.
#
# Usage: editors/vscode/e2e/run.sh AKSLINT_BINARY [OUT_DIR]
#   AKSLINT_E2E_PREFIX  where VS Code is installed (default ~/.cache/akslint-e2e/code-server);
#                       installed by setup.sh when missing.
# Prints `vscode-e2e: N passed, N failed` (the suite and the UI check) and exits non-zero on a
# failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ext=$(dirname "$here")
binary=$(realpath -m "${1:?usage: run.sh AKSLINT_BINARY [OUT_DIR]}")
out=$(realpath -m "${2:-$ext/.e2e-out}")
prefix=${AKSLINT_E2E_PREFIX:-$HOME/.cache/akslint-e2e/code-server}
start=$(date +%s%N)
say() { local ms=$(( ($(date +%s%N) - start) / 1000000 )); printf '[vscode e2e %3d.%01ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"; }

bash "$here/setup.sh" "$prefix"
say "VS Code present"
npm_q=(npm --no-fund --no-audit --loglevel=error)
# npm ci unless node_modules is already what package-lock.json says.
if [ ! "$ext/node_modules/.package-lock.json" -nt "$ext/package-lock.json" ]; then
  (cd "$ext" && "${npm_q[@]}" ci)
fi
(cd "$ext" && npx tsc -p .)
say "extension built"

rm -rf "$out" && mkdir -p "$out"
run=$(mktemp -d "$out/run.XXXX")
mkdir -p "$run/user-data/User" "$run/extensions" "$run/home" "$run/tmp" "$run/workspace" "$run/workspace-ui"
cp -r "$here/workspace/." "$run/workspace/"
cp -r "$here/workspace/." "$run/workspace-ui/"
(cd "$ext" && npx vsce package --allow-missing-repository -o "$run/akslint.vsix" >/dev/null)
say "packaged $(basename "$run")/akslint.vsix ($(du -k "$run/akslint.vsix" | cut -f1) KiB)"

export HOME="$run/home" TMPDIR="$run/tmp" E2E_OUT="$out"
export EXTENSIONS_GALLERY='{}'   # no marketplace look-ups
server_main="$prefix/node_modules/code-server/lib/vscode/out/server-main.js"
dirs=(--user-data-dir "$run/user-data" --server-data-dir "$run/server-data" --extensions-dir "$run/extensions")
node "$server_main" "${dirs[@]}" --install-extension "$run/akslint.vsix" >"$out/install.log" 2>&1
say "installed the .vsix"

cat > "$run/user-data/User/settings.json" <<JSON
{
  "akslint.path": "$binary",
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.enableExperiments": false,
  "chat.disableAIFeatures": true
}
JSON

# The binary also as a machine setting of the server (akslint.path is machine-overridable): a
# browser window's user settings can arrive after the extension started, or not at all in a
# second window of the same server.
mkdir -p "$run/user-data/Machine"
printf '{\n  "akslint.path": "%s"\n}\n' "$binary" > "$run/user-data/Machine/settings.json"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# --enable-smoke-test-driver makes the workbench honour the test payload.
setsid node "$server_main" --host 127.0.0.1 --port "$port" --without-connection-token \
  --accept-server-license-terms --enable-smoke-test-driver --disable-telemetry \
  --disable-workspace-trust "${dirs[@]}" >"$out/server.log" 2>&1 &
server_pid=$!
stop_server() {
  kill -TERM -- "-$server_pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 -- "-$server_pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$server_pid" 2>/dev/null || true
}
trap stop_server EXIT
for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/version" && break; sleep 0.1; done
say "VS Code server listening on 127.0.0.1:$port"

rc=0
node "$here/driver.js" "http://127.0.0.1:$port" "$run/workspace" "$here/host" "$ext/out/test/e2e/index.js" "$out" \
  >"$out/tests.log" 2>&1 || rc=1
grep -E '✔|passing|failing|AssertionError|passed, ' "$out/tests.log" | sed 's/%[sd] \?//g' || true
say "suite finished (rc=$rc); log: $out/tests.log, screenshot: $out/vscode.png"
# What a person sees, on a fresh copy: squiggle, status bar item, Problems panel.
node "$here/ui-check.js" "http://127.0.0.1:$port" "$run/workspace-ui" "$out" >"$out/ui.log" 2>&1 || rc=1
grep -E '^\[|vscode ui:' "$out/ui.log" || true
say "UI check finished (rc=$rc); screenshot: $out/vscode-problems.png"
# The binary missing (akslint.path names no file): the user must be told.
sed -i "s|\"akslint.path\": \".*\"|\"akslint.path\": \"$run/missing/akslint\"|" \
  "$run/user-data/User/settings.json" "$run/user-data/Machine/settings.json"
node "$here/ui-check.js" "http://127.0.0.1:$port" "$run/workspace-ui" "$out" missing >"$out/ui-missing.log" 2>&1 || rc=1
grep -E '^\[|vscode ui:' "$out/ui-missing.log" || true
say "missing-binary check finished (rc=$rc); screenshot: $out/vscode-missing-binary.png"
counts() { sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$1" 2>/dev/null | tail -1; }
read -r suite_passed suite_failed <<<"$(counts "$out/results.txt")" || true
read -r ui_passed ui_failed <<<"$(counts "$out/ui.log")" || true
read -r missing_passed missing_failed <<<"$(counts "$out/ui-missing.log")" || true
passed=$(( ${suite_passed:-0} + ${ui_passed:-0} + ${missing_passed:-0} ))
failed=$(( ${suite_failed:-1} + ${ui_failed:-1} + ${missing_failed:-1} ))
[ "$failed" -eq 0 ] || rc=1
echo "vscode-e2e: $passed passed, $failed failed"
exit $rc
