#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (base image: Ubuntu
# 22.04). Everything grading needs is installed here; grading itself needs no network.
# - Python 3.11 at a pinned patch version and the environment under /opt/deepgrade, root-owned
#   and world-readable: the student's kernel runs as an unprivileged uid and must be able to run
#   the interpreter (a uv default under /root would be unreadable to it);
# - torch 2.13.0 CPU first, then the pinned lock with torch held;
# - the homework's Debian packages (homework.toml's apt_packages);
# - every module's bytecode compiled, deepgrade's included;
# - a check that a sandboxed kernel starts on this machine, printed to the build log (it also
#   builds matplotlib's font cache beside the environment, once).
set -euxo pipefail
SOURCE="$(cd "$(dirname "$0")" && pwd)"
PREFIX=/opt/deepgrade
PYTHON_VERSION=3.11.7
UV_VERSION=0.13.8
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3-pip ca-certificates curl
# Homework data packages. Each is in Ubuntu 22.04's universe; should the mirror lack one we know,
# the same package is taken from Debian's archive and checked against its SHA-256.
for pkg in @APT_PACKAGES@; do
  apt-get install -y --no-install-recommends "$pkg" && continue
  case "$pkg" in
    dataset-fashion-mnist)
      deb=dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb
      curl -fsSL -o "/tmp/$deb" "https://deb.debian.org/debian/pool/main/d/dataset-fashion-mnist/$deb"
      echo "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0  /tmp/$deb" | sha256sum -c -
      dpkg -i "/tmp/$deb" && rm -f "/tmp/$deb" ;;
    *) echo "deepgrade: apt package $pkg is not available on this image" >&2; exit 1 ;;
  esac
done
python3 -m pip install "uv==$UV_VERSION"
export UV_PYTHON_INSTALL_DIR="$PREFIX/python"
uv python install "$PYTHON_VERSION"
uv venv --python "$PYTHON_VERSION" --python-preference only-managed "$PREFIX/venv"
export VIRTUAL_ENV="$PREFIX/venv"
# --compile-bytecode: every module compiled now, once, not in every run (the kernel's uid could
# not write the cache, so it would compile whatever it imports at each run)
uv pip install --compile-bytecode --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
echo "torch==2.13.0" > /tmp/deepgrade-constraints.txt
uv pip install --compile-bytecode -r "$SOURCE/requirements.txt" -c /tmp/deepgrade-constraints.txt
"$PREFIX/venv/bin/python" -m compileall -q "$SOURCE/python"
chown -R root:root "$PREFIX"
chmod -R a+rX,go-w "$PREFIX"
PYTHONPATH="$SOURCE/python" "$PREFIX/venv/bin/python" -m deepgrade.gradescope --check
