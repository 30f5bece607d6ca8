#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code (1.100.3, from the code-server npm
# package): installs a platform .vsix (scripts/package.sh, with the akslint binary bundled) into
# a VS Code server whose PATH has no akslint and whose user settings name no akslint.path, opens
# the workbench in headless Chromium on a scratch copy of e2e/workspace in Restricted Mode (the
# workspace is not trusted, and its own .vscode/settings.json points akslint.path at a decoy),
# and runs the mocha suite (src/test/e2e) inside VS Code's extension host; then UI checks, and
# the unit tests of src/test/unit.
#
# Usage: editors/vscode/e2e/run.sh VSIX [OUT_DIR]
#   AKSLINT_E2E_PREFIX  where VS Code is installed (default ~/.cache/akslint-e2e/code-server);
#                       installed by setup.sh when missing.
# Prints `vscode-e2e: N passed, N failed` (unit tests, the suite and the UI checks) and exits
# non-zero on a failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ext=$(dirname "$here")
vsix=$(realpath -m "${1:?usage: run.sh VSIX [OUT_DIR]}")
[ -f "$vsix" ] || { echo "run.sh: no .vsix at $vsix" >&2; exit 2; }
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
say "extension and tests built"

rm -rf "$out" && mkdir -p "$out"
(cd "$ext" && npx mocha --reporter dot out/test/unit/*.test.js) >"$out/unit.log" 2>&1 || true
unit_passed=$(sed -n 's/^ *\([0-9]*\) passing.*/\1/p' "$out/unit.log")
unit_failed=$(sed -n 's/^ *\([0-9]*\) failing.*/\1/p' "$out/unit.log")
echo "vscode unit: ${unit_passed:-0} passed, ${unit_failed:-0} failed"
run=$(mktemp -d "$out/run.XXXX")
mkdir -p "$run/user-data/User" "$run/extensions" "$run/home" "$run/tmp" "$run/workspace" "$run/workspace-ui"
cp -r "$here/workspace/." "$run/workspace/"
# The suite's Helm chart (src/test/e2e/helm.test.ts), shared with the Neovim test.
cp -r "$ext/../fixtures/shop" "$run/workspace/shop"
cp -r "$here/workspace/." "$run/workspace-ui/"
# The workspace's own settings name a decoy binary: Restricted Mode must ignore them. The decoy
# leaves a mark if it is ever run.
mkdir -p "$run/decoy" "$run/workspace/.vscode"
printf '#!/bin/sh\ntouch "%s"\necho akslint 0.0.0\n' "$run/decoy-ran" > "$run/decoy/akslint"
chmod +x "$run/decoy/akslint"
printf '{\n  "akslint.path": "%s"\n}\n' "$run/decoy/akslint" > "$run/workspace/.vscode/settings.json"
say "installing $vsix ($(du -k "$vsix" | cut -f1) KiB)"

# No akslint on the PATH: the extension must run the one it carries.
scrubbed=()
IFS=: read -r -a path_dirs <<<"$PATH"
for dir in "${path_dirs[@]}"; do
  [ -n "$dir" ] && [ ! -e "$dir/akslint" ] && scrubbed+=("$dir")
done
PATH=$(IFS=:; echo "${scrubbed[*]}")
export PATH
if command -v akslint >/dev/null; then echo "run.sh: akslint is still on the PATH" >&2; exit 2; fi
export HOME="$run/home" TMPDIR="$run/tmp" E2E_OUT="$out"
export EXTENSIONS_GALLERY='{}'   # no marketplace look-ups
server_main="$prefix/node_modules/code-server/lib/vscode/out/server-main.js"
dirs=(--user-data-dir "$run/user-data" --server-data-dir "$run/server-data" --extensions-dir "$run/extensions")
node "$server_main" "${dirs[@]}" --install-extension "$vsix" >"$out/install.log" 2>&1
say "installed the .vsix"

# Workspace trust on, and the workspace opens untrusted (Restricted Mode) without asking.
cat > "$run/user-data/User/settings.json" <<JSON
{
  "security.workspace.trust.enabled": true,
  "security.workspace.trust.startupPrompt": "never",
  "security.workspace.trust.untrustedFiles": "open",
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.enableExperiments": false,
  "chat.disableAIFeatures": true
}
JSON
mkdir -p "$run/user-data/Machine"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# --enable-smoke-test-driver makes the workbench honour the test payload.
setsid node "$server_main" --host 127.0.0.1 --port "$port" --without-connection-token \
  --accept-server-license-terms --enable-smoke-test-driver --disable-telemetry \
  "${dirs[@]}" >"$out/server.log" 2>&1 &
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
decoy_failed=0
if [ -e "$run/decoy-ran" ]; then
  echo "FAIL the workspace's akslint.path ran in Restricted Mode"
  decoy_failed=1
else
  echo "ok   the workspace's akslint.path did not run in Restricted Mode"
fi
# The binary missing (a user setting names no file; the user's akslint.path still counts in
# Restricted Mode): the user must be told, once. As a machine setting too: a browser window's
# user settings can arrive after the extension started.
missing="$run/missing/akslint"
sed -i "s|^{|{\n  \"akslint.path\": \"$missing\",|" "$run/user-data/User/settings.json"
printf '{\n  "akslint.path": "%s"\n}\n' "$missing" > "$run/user-data/Machine/settings.json"
node "$here/ui-check.js" "http://127.0.0.1:$port" "$run/workspace-ui" "$out" missing >"$out/ui-missing.log" 2>&1 || rc=1
grep -E '^\[|vscode ui:' "$out/ui-missing.log" || true
say "missing-binary check finished (rc=$rc); screenshot: $out/vscode-missing-binary.png"
# A binary that answers --version but whose server exits at once: the user is told, once (no
# retries, no messages of the language client's own).
mkdir -p "$run/crash"
printf '#!/bin/sh\n[ "$1" = --version ] && { echo "akslint %s"; exit 0; }\necho "crashed on purpose" >&2\nexit 101\n' \
  "$(node -p "require('$ext/package.json').version")" > "$run/crash/akslint"
chmod +x "$run/crash/akslint"
sed -i "s|$missing|$run/crash/akslint|" "$run/user-data/User/settings.json" "$run/user-data/Machine/settings.json"
node "$here/ui-check.js" "http://127.0.0.1:$port" "$run/workspace-ui" "$out" crash >"$out/ui-crash.log" 2>&1 || rc=1
grep -E '^\[|vscode ui:' "$out/ui-crash.log" || true
say "crashing-server check finished (rc=$rc); screenshot: $out/vscode-crash-binary.png"
counts() { sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$1" 2>/dev/null | tail -1; }
read -r suite_passed suite_failed <<<"$(counts "$out/results.txt")" || true
read -r ui_passed ui_failed <<<"$(counts "$out/ui.log")" || true
read -r missing_passed missing_failed <<<"$(counts "$out/ui-missing.log")" || true
read -r crash_passed crash_failed <<<"$(counts "$out/ui-crash.log")" || true
passed=$(( ${unit_passed:-0} + ${suite_passed:-0} + ${ui_passed:-0} + ${missing_passed:-0} + ${crash_passed:-0} + 1 - decoy_failed ))
failed=$(( ${unit_failed:-0} + ${suite_failed:-1} + ${ui_failed:-1} + ${missing_failed:-1} + ${crash_failed:-1} + decoy_failed ))
[ -n "${unit_passed:-}" ] || failed=$(( failed + 1 ))
[ "$failed" -eq 0 ] || rc=1
echo "vscode-e2e: $passed passed, $failed failed"
exit $rc
