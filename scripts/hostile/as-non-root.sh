#!/usr/bin/env bash
# Runs hostile cases as an unprivileged user (default arcane-grader, created if missing), in a
# scratch copy of the project that user owns, after root has used the shared temp dir: the
# per-run private folders must work for non-root graders too. Needs root (useradd, runuser).
#   scripts/hostile/as-non-root.sh [case ...]     (default: the cases that start their own server, and two more)
set -euo pipefail
# The command line first, before anything is created (bash: commander is for the TypeScript commands).
for arg in "$@"; do
  case "$arg" in
    -h | --help)
      printf '%s\n' 'Usage: npm run hostile:non-root -- [case ...]' '' \
        'Runs hostile cases (default: those starting their own server, and two more) as an unprivileged user.' \
        'Needs root: it creates the user (ARCANE_NON_ROOT_USER, default arcane-grader) and switches to it.' '' \
        'Options:' '  -h, --help  print this help and exit'
      exit 0
      ;;
    -*)
      echo "hostile:non-root: unknown option '$arg' (see npm run hostile:non-root -- --help)" >&2
      exit 2
      ;;
  esac
done
cd "$(dirname "$0")/../.."
project=$PWD
user=${ARCANE_NON_ROOT_USER:-arcane-grader}
if [ "$(id -u)" -ne 0 ]; then
  echo "as-non-root: run as root (it creates the user $user and switches to it)" >&2
  exit 2
fi
id -u "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"

# Root has used the temp dir first (as on a machine where root ran the suite once).
mkdir -p "${TMPDIR:-/tmp}/arcane-commerce-pg"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/arcane-non-root-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$scratch"
# node_modules: the user's own folder (vite writes its temp files there), each package linked read-only.
mkdir "$scratch/node_modules"
for entry in "$project"/node_modules/* "$project"/node_modules/.bin; do
  ln -s "$entry" "$scratch/node_modules/$(basename "$entry")"
done
chown -R "$user": "$scratch"
chmod 700 "$scratch"

cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(pg-sleep-dos lingering-backend copy-program symlink-in-folder)
cd "$scratch"
runuser -u "$user" -- env -i PATH="$PATH" HOME="$scratch" TMPDIR="${TMPDIR:-/tmp}" npm_config_cache="$scratch/.npm" \
  ARCANE_NO_DOCKER=1 npx tsx scripts/hostile/run.ts "${cases[@]}"
