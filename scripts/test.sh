#!/usr/bin/env bash
# The README's test command: installs what the test suite needs, from scratch, then runs it.
#  1. Debian packages the real-service tests use (PostgreSQL server, headless Chromium), when
#     missing and we are root; as a normal user it names the `sudo apt-get install` to run.
#  2. A virtualenv in .venv with the project and its `test` extras (pip, lower-bounded pins).
#  3. pytest over tests/ (arguments are passed on, e.g. `bash scripts/test.sh -k drift`).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
if ((${#need[@]})); then
    if [ "$(id -u)" = 0 ]; then
        echo "== installing Debian packages: ${need[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    else
        echo "missing Debian packages: ${need[*]} — run: sudo apt-get install ${need[*]}" >&2
        exit 1
    fi
fi

echo "== installing the project and its test dependencies into .venv"
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

echo "== running the tests"
exec .venv/bin/python -m pytest "$@"
