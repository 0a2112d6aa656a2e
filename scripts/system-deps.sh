#!/usr/bin/env bash
# Install the Debian packages deepgrade needs, or say in one line which ones are missing.
#   scripts/system-deps.sh          what `make release` needs (homework data)
#   scripts/system-deps.sh written  plus what `deepgrade written` needs (browser, MathJax)
#   scripts/system-deps.sh test     plus what the test suite needs (the above, PDF tools)
set -euo pipefail
packages=(dataset-fashion-mnist)          # hw4: Fashion-MNIST IDX files under /usr/share/datasets
if [ "${1:-}" = "written" ] || [ "${1:-}" = "test" ]; then
  packages+=(chromium)                    # prints the written answers; the report's browser test
  packages+=(libjs-mathjax)               # typesets their LaTeX offline (MathJax 2.7, no CDN)
fi
if [ "${1:-}" = "test" ]; then
  packages+=(poppler-utils)               # tests/test_written.py: pdftotext, pdftoppm
  packages+=(libreoffice-calc-nogui)      # tests/test_csvsafe.py: CSVs opened by a spreadsheet
  packages+=(util-linux libseccomp2)      # tests/test_container.py: unshare, setpriv; libseccomp
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "deepgrade: installing Debian packages: ${missing[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "deepgrade: missing Debian packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
