#!/usr/bin/env bash
# Installs a real VS Code for the end-to-end test, offline apart from the npm registry and
# Debian's apt: the npm package code-server 4.100.3 carries VS Code 1.100.3's server and web
# workbench; it runs on the machine's Node 20. Its postinstall step would download ripgrep
# from GitHub, so it is skipped and done here by hand with Debian's ripgrep.
#
# Usage: editors/vscode/e2e/setup.sh PREFIX
# Idempotent: a complete install (marked by PREFIX/.complete) is left alone.
set -euo pipefail
prefix=${1:?usage: setup.sh PREFIX}
version=4.100.3
npm_q=(npm --no-fund --no-audit --loglevel=error)
start=$(date +%s)
say() { echo "[vscode setup $(( $(date +%s) - start ))s] $*"; }

if [ -f "$prefix/.complete" ] && [ "$(cat "$prefix/.complete")" = "$version" ]; then
  say "code-server $version already installed in $prefix"
  exit 0
fi

# Debian packages: ripgrep (VS Code's search), chromium (drives the web workbench), the
# kerberos headers (a native addon of VS Code's server).
missing=()
command -v rg >/dev/null || missing+=(ripgrep)
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

rm -rf "$prefix" && mkdir -p "$prefix"
cd "$prefix"
echo '{"name":"akslint-vscode-e2e-runtime","private":true}' > package.json
"${npm_q[@]}" install --ignore-scripts "code-server@$version"
"${npm_q[@]}" rebuild argon2
say "code-server $version unpacked"

vscode=node_modules/code-server/lib/vscode
(
  cd "$vscode"
  "${npm_q[@]}" install --omit=dev --ignore-scripts
  if [ -d node_modules/@vscode/ripgrep ]; then
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  fi
  # Native addons (kerberos, node-pty, spdlog, watcher, ...) are built here; node-pty's
  # install step runs `npx node-gyp`, which must not stop to ask.
  npm_config_yes=true "${npm_q[@]}" rebuild
  if grep -q symlink_asar ../../postinstall.sh; then ln -sfn node_modules node_modules.asar; fi
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  (cd extensions && "${npm_q[@]}" install --omit=dev)
)
say "VS Code server dependencies built"

mkdir -p "$prefix/home"
HOME="$prefix/home" node "$vscode/out/server-main.js" --version | head -1
echo "$version" > "$prefix/.complete"
say "done"
