#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (base image:
# Ubuntu 22.04). It makes a Python 3.11 environment with the exact versions deepgrade was
# built and tested with: torch 2.13.0 CPU first, then the pinned lock with torch held.
set -euxo pipefail
# Homework data packages (homework.toml's apt_packages) are listed on the apt-get line below.
SOURCE="$(cd "$(dirname "$0")" && pwd)"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    python3-pip ca-certificates curl @APT_PACKAGES@
python3 -m pip install --upgrade uv
uv python install 3.11
uv venv --python 3.11 /opt/deepgrade-venv
export VIRTUAL_ENV=/opt/deepgrade-venv
uv pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
echo "torch==2.13.0" > /tmp/deepgrade-constraints.txt
uv pip install -r "$SOURCE/requirements.txt" -c /tmp/deepgrade-constraints.txt
# The kernel runs as this unprivileged user (see deepgrade.grade.kernel.sandbox).
id deepgrade-student >/dev/null 2>&1 || useradd --system --no-create-home deepgrade-student
