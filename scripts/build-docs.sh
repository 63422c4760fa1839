#!/usr/bin/env bash
# Builds the DocC documentation catalog of every package (`make docs`).
#
# For each package: a debug build and the public symbol graphs of its library module
# (`swift package dump-symbol-graph`, which reuses the package's ordinary debug build, so it costs
# nothing after `make test`; building with `-Xswiftc -emit-symbol-graph` instead would change the
# compiler flags, so the next `swift test` would rebuild every module), then `docc convert` of `Sources/<Module>/<Module>.docc` into
# `.build/docs/<Module>.doccarchive`, transformed for static hosting. Needs no package dependency:
# `docc` ships with the Swift toolchain.
#
# Fails when DocC reports any warning (`--warnings-as-errors`): an unresolved or ambiguous symbol link in
# a catalog or a doc comment, a missing article. Only the module's own symbol graphs are passed to DocC,
# so dependencies' doc comments are not checked.
#
# Usage: scripts/build-docs.sh [Package ...]   (default: every package)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
SWIFT=${SWIFT:-swift}
if [ -z "${DOCC:-}" ]; then
  DOCC=$(command -v docc || true)
  [ -n "$DOCC" ] || DOCC="$(dirname "$(command -v "$SWIFT")")/docc"
fi
[ -x "$DOCC" ] || { echo "build-docs: no docc found (looked on PATH and next to $SWIFT); set DOCC=/path/to/docc" >&2; exit 1; }

module_of() {
  case "$1" in
    Tensor) echo Tensors ;;
    *) echo "$1" ;;
  esac
}

packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(Tensor ODESolvers Adjoint NeuralODEModels Datasets Metrics)
out="$root/.build/docs"
mkdir -p "$out"
failed=0
summary=()
start_all=$SECONDS
for package in "${packages[@]}"; do
  module=$(module_of "$package")
  catalog="Packages/$package/Sources/$module/$module.docc"
  [ -d "$catalog" ] || { echo "build-docs: no catalog $catalog" >&2; exit 1; }
  start=$SECONDS
  echo "=== $module: symbol graphs (swift package --package-path Packages/$package dump-symbol-graph) ==="
  dump_log="$out/$module.symbol-graph.log"
  if ! "$SWIFT" package --package-path "Packages/$package" dump-symbol-graph >"$dump_log" 2>&1; then
    cat "$dump_log" >&2
    echo "build-docs: the symbol-graph build of $package failed" >&2
    exit 1
  fi
  graphs_dir=$(sed -n 's/^Files written to //p' "$dump_log" | tail -1)
  [ -n "$graphs_dir" ] && [ -d "$graphs_dir" ] || graphs_dir=$(ls -d "Packages/$package"/.build/*/symbolgraph 2>/dev/null | head -1)
  [ -d "$graphs_dir" ] || { cat "$dump_log" >&2; echo "build-docs: no symbol graphs for $package" >&2; exit 1; }
  # Only the module's own graphs (dependencies and other targets get graphs too; DocC documents one module).
  selected="$out/symbol-graphs/$module"
  rm -rf "$selected" && mkdir -p "$selected"
  cp "$graphs_dir/$module.symbols.json" "$selected/"
  for extension in "$graphs_dir/$module"@*.symbols.json; do
    [ -e "$extension" ] && cp "$extension" "$selected/"
  done
  echo "=== $module: docc convert $catalog ==="
  archive="$out/$module.doccarchive"
  rm -rf "$archive"
  docc_log="$out/$module.docc.log"
  set +e
  "$DOCC" convert "$catalog" \
    --additional-symbol-graph-dir "$selected" \
    --output-path "$archive" \
    --fallback-display-name "$module" \
    --fallback-bundle-identifier "org.heavyballnode.$module" \
    --fallback-default-module-kind "Framework" \
    --transform-for-static-hosting \
    --warnings-as-errors >"$docc_log" 2>&1
  status=$?
  set -e
  warnings=$(grep -cE '^(warning|error): ' "$docc_log" || true)
  seconds=$((SECONDS - start))
  if [ $status -ne 0 ]; then
    cat "$docc_log" >&2
    echo "build-docs: $module: docc failed (exit status $status, $warnings warning(s) treated as errors); log: ${docc_log#$root/}" >&2
    failed=1
  fi
  summary+=("$(printf '%-16s %3d warning(s), %4d s  -> %s' "$module" "$warnings" "$seconds" \
    "$([ $status -eq 0 ] && echo "${archive#$root/}" || echo FAILED)")")
done
echo
echo "=== make docs: $(( SECONDS - start_all )) s ==="
printf '%s\n' "${summary[@]}"
echo "Open a module's pages with a static web server, e.g."
echo "  python3 -m http.server --directory .build/docs/ODESolvers.doccarchive 8000"
echo "and browse http://localhost:8000/documentation/odesolvers/"
exit $failed
