# Sourced by scripts/test: the system programs the tests use (a real Chromium for the
# browser tests, poppler's pdftoppm to look at PDF pages, PostgreSQL's server, Node's
# npm to install axe-core, the accessibility rules the browser tests run, and a C
# compiler for the compiled core).
# On Debian or Ubuntu they are installed with apt-get when missing (as root, or with
# sudo); elsewhere install them yourself (macOS: brew install chromium poppler postgresql node).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v cc >/dev/null 2>&1 || missing+=(gcc)  # the compiled core's test builds it
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    missing+=(postgresql)
fi
if [ "${#missing[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "== installing ${missing[*]} (apt-get)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi
