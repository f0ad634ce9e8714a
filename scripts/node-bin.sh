#!/usr/bin/env bash
# Usage: bash scripts/node-bin.sh VERSION  (an exact release, e.g. 24.22.3)
# Prints the folder holding that release's `node`, for putting first on PATH: .ci/run runs suites on a
# supported Node line this way on machines whose own Node is older. The binary comes from the npm registry
# (no other download works on these machines), installed once into
# ${HINDSIGHT_NODE_CACHE:-~/.cache/hindsight}/node-VERSION and reused after.
#
# It installs `node-linux-<arch>`, the package that holds the binary, rather than the `node` package that
# wraps it: `node` only runs a preinstall script that spawns a second `npm install` of that same package, a
# script npm 11 lists as unapproved on every install and whose manual says such scripts are skipped, and
# its releases lag the binary's (24.21.0 against 24.22.3 today). npm checks the tarball's integrity.
set -euo pipefail

version="${1:?usage: scripts/node-bin.sh VERSION (e.g. 24.22.3)}"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "scripts/node-bin.sh: no Node package for $(uname -m)" >&2; exit 1 ;;
esac
package="node-linux-$arch"
cache="${HINDSIGHT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hindsight}"
dir="$cache/node-$version"
bin="$dir/node_modules/$package/bin"

if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
  mkdir -p "$cache"
  # Installed beside and moved into place, so a run that stops half way or a second one at the same time
  # never leaves a folder that looks installed and is not.
  staging="$(mktemp -d "$cache/.node-$version.XXXXXX")"
  trap 'rm -rf "$staging"' EXIT
  npm install --prefix "$staging" --no-audit --no-fund --no-package-lock --save-exact --loglevel=error \
    "$package@$version" >&2
  [ "$("$staging/node_modules/$package/bin/node" --version)" = "v$version" ] \
    || { echo "scripts/node-bin.sh: $package@$version did not install Node v$version" >&2; exit 1; }
  rm -rf "$dir"
  # -T: never into a folder that a second run put there meanwhile; then that run's install serves.
  mv -T "$staging" "$dir" 2>/dev/null || [ "$("$bin/node" --version 2>/dev/null)" = "v$version" ]
fi
echo "$bin"
