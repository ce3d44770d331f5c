#!/usr/bin/env bash
# The test command (README, CI): installs what it needs, then typechecks, lints and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# Dependencies: reinstall when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json .cache/installed-lock.json; then
  npm ci --no-audit --no-fund
  mkdir -p .cache && cp package-lock.json .cache/installed-lock.json
fi

# Debian's Chromium for the browser tests (HTML report); never a downloaded browser.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "note: could not install chromium; browser tests will say they are skipped"
fi

# In CI the shared corpus must be there: corpus tests fail instead of skipping.
if [ "${CI:-}" = "true" ]; then
  export LEUKO_CORPUS="${LEUKO_CORPUS:-$(cd .. && pwd)/shared/corpus}"
  export LEUKO_REQUIRE_CORPUS=1
  [ -d "$LEUKO_CORPUS" ] || { echo "corpus missing at $LEUKO_CORPUS"; exit 1; }
fi

npx tsc -p tsconfig.json --noEmit
npx eslint . --max-warnings 0
status=0
rm -f .cache/test-results.json
npx vitest run "$@" || status=$?

# One plain closing line for CI, from vitest's JSON report (written when CI=true).
if [ -f .cache/test-results.json ]; then
  node -e 'const r = JSON.parse(require("fs").readFileSync(".cache/test-results.json", "utf8"));
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);'
fi
exit "$status"
