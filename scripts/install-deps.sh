#!/bin/sh
# install-deps.sh - installs the Debian packages pinlab builds with, when they are missing.
#
# libcmocka-dev: unit tests; liburing-dev: the io_uring kernel comparison and
# real mode; clang + libclang-rt-14-dev: the sanitizer builds and libFuzzer;
# e2fsprogs, xfsprogs, btrfs-progs: mkfs for `pinlab kernel`'s loop filesystems;
# chromium + libxml2-utils: tests/report-html.sh renders `pinlab report` in a
# real browser (headless) and reads the DOM it dumps with xmllint's XPath.
#
# Usage: install-deps.sh [build]
# With "build", only what `make` needs to build ./pinlab (liburing-dev: pinlab
# kernel registers buffers with io_uring); without, everything.
set -e
need=""
dpkg -s liburing-dev >/dev/null 2>&1 || need="$need liburing-dev"
if [ "${1:-}" != build ]; then
	dpkg -s libcmocka-dev >/dev/null 2>&1 || need="$need libcmocka-dev"
	command -v clang >/dev/null 2>&1 || need="$need clang"
	dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || need="$need libclang-rt-14-dev"
	command -v chromium >/dev/null 2>&1 || need="$need chromium"
	command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
	for p in e2fsprogs xfsprogs btrfs-progs; do
		dpkg -s $p >/dev/null 2>&1 || need="$need $p"
	done
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: need$need; run as root or install them" >&2
	exit 1
fi
echo "install-deps: apt-get install$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $need >/dev/null
