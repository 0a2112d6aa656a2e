#!/usr/bin/env bash
# Install the Debian packages deepgrade's homeworks need, or say which ones are missing.
set -euo pipefail
packages=(dataset-fashion-mnist)   # hw4: Fashion-MNIST IDX files under /usr/share/datasets
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "deepgrade: missing Debian packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
