#!/usr/bin/env bash
# The datatrove peer lives in its own venv: datatrove's [processing] extra pins
# trafilatura<1.12, which would downgrade ours (see docs/performance.md).
# Idempotent; ~20 s on a warm pip cache. Usage: bash bench/peer_setup.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-datatrove"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import datatrove, regex, pyarrow, psutil" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --upgrade "pip>=24"
    # [io] brings pyarrow for the ParquetWriter; `regex` is needed by datatrove's filters module
    "$venv/bin/python" -m pip install --quiet "datatrove[io]==0.10.1" "regex" "psutil"
fi
"$venv/bin/python" -c "import datatrove, importlib.metadata as m; print('datatrove', m.version('datatrove'), 'in', '$venv')"
