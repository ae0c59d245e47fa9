#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Install the Debian 12 packages that building, testing and the demo need.
# Only missing packages are installed; nothing but Debian's archive is used.
set -euo pipefail

packages=(
    build-essential autoconf automake libtool autoconf-archive pkg-config
    check valgrind gdb
    samba-dev libsmbclient-dev samba smbclient iproute2
    samba-ad-dc samba-ad-provision winbind krb5-user
    python3 python3-impacket
    libsnmp-dev snmpd snmp snmptrapd
    smitools tshark monitoring-plugins-standard
    prometheus-snmp-exporter prometheus python3-yaml
    zabbix-server-pgsql zabbix-frontend-php php-cli php-pgsql postgresql
    debhelper lintian
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "dev/deps.sh: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# tshark asks whether non-root users may capture, krb5-user for a default
# realm; the default answers are fine.
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
# Debian starts these daemons on install; our tests run private copies on
# loopback, so the system ones are stopped to keep ports and CPU free.
for svc in smbd nmbd samba-ad-dc snmpd snmptrapd prometheus prometheus-snmp-exporter \
    zabbix-server postgresql apache2; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
        $SUDO systemctl stop "$svc" || true
    fi
done
