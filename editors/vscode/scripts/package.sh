#!/usr/bin/env bash
# Packages the VS Code extension for one platform with an akslint binary inside it, at
# bundled/bin/akslint (bundled/bin/akslint.exe for Windows), where the extension looks first
# after the akslint.path setting.
#
# Usage: editors/vscode/scripts/package.sh BINARY OUT.vsix [TARGET]
#   BINARY  a release build of akslint for TARGET (e.g. target/release/akslint)
#   TARGET  a VS Code platform (linux-x64, linux-arm64, alpine-x64, darwin-arm64, win32-x64, ...);
#           default: this machine's.
# Uses the @vscode/vsce pinned in package-lock.json (npm ci when node_modules is not current).
# Prints the .vsix's path and size.
set -euo pipefail
ext=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: package.sh BINARY OUT.vsix [TARGET]"
binary=$(realpath -m "${1:?$usage}")
out=$(realpath -m "${2:?$usage}")
[ -f "$binary" ] && [ -x "$binary" ] || { echo "package.sh: $binary is not an executable file" >&2; exit 2; }

host_target() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN*) os=win32 ;;
    *) echo "package.sh: unknown OS $(uname -s); give TARGET" >&2; return 2 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    armv7l) arch=armhf ;;
    *) echo "package.sh: unknown CPU $(uname -m); give TARGET" >&2; return 2 ;;
  esac
  echo "$os-$arch"
}
target=${3:-$(host_target)}
name=akslint
case "$target" in win32-*) name=akslint.exe ;; esac

# The binary must answer like the akslint the extension expects (same major.minor).
ext_version=$(node -p "require('$ext/package.json').version")
if [[ "$target" == "$(host_target 2>/dev/null || true)" ]]; then
  bin_version=$("$binary" --version | sed -n 's/^akslint \([0-9][0-9.]*\).*/\1/p')
  if [ "${bin_version%.*}" != "${ext_version%.*}" ]; then
    echo "package.sh: $binary is akslint '$bin_version'; the extension $ext_version needs ${ext_version%.*}.x" >&2
    exit 2
  fi
fi

cd "$ext"
# One packaging at a time: the binary is copied into the extension's folder.
exec 9>"$ext/.package.lock"
flock 9
trap 'rm -rf "$ext/bundled"' EXIT
npm_q=(npm --no-fund --no-audit --loglevel=error)
if [ ! "$ext/node_modules/.package-lock.json" -nt "$ext/package-lock.json" ]; then
  "${npm_q[@]}" ci
fi
npx tsc -p .
rm -rf bundled && mkdir -p bundled/bin
cp "$binary" "bundled/bin/$name"
chmod 755 "bundled/bin/$name"
mkdir -p "$(dirname "$out")"
npx vsce package --target "$target" -o "$out" >/dev/null
echo "$out ($target, $(du -k "$out" | cut -f1) KiB; binary $(du -k "$binary" | cut -f1) KiB)"
