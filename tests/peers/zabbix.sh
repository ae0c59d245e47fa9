# SPDX-License-Identifier: GPL-3.0-or-later
# tests/peers/zabbix.sh - a private Zabbix 6.0 on 127.0.0.1, from Debian's
# packages: PostgreSQL with Zabbix's schema, the PHP frontend (for its API)
# under PHP's built-in web server, and zabbix_server polling SNMP and
# reading an SNMP trapper file.  Nothing is read from or written to /etc,
# /var or the system's database.
#
# Source tests/peers/common.sh first, then this file:
#   zabbix_usable || exit 77       # says SKIP and why
#   trap 'zabbix_stop; ...' EXIT
#   zabbix_start TRAPFILE || exit 1
#   zabbix_api METHOD JSON-PARAMS  # prints the result as JSON
#
# Zabbix is installed with the default account (Admin/zabbix): the test
# database is private and listens on loopback only.

ZABBIX_SERVER_BIN=${ZABBIX_SERVER_BIN:-/usr/sbin/zabbix_server}
ZABBIX_UI=${ZABBIX_UI:-/usr/share/zabbix}
ZABBIX_SQL=${ZABBIX_SQL:-/usr/share/zabbix-server-pgsql}
ZABBIX_API_PY=$top_srcdir/tests/peers/zabbix_api.py

# zabbix_usable: 0 if Debian's Zabbix server, frontend and PostgreSQL are
# installed; else says SKIP and why.
zabbix_usable() {
    ZABBIX_PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    for _zu_f in "$ZABBIX_SERVER_BIN" "$ZABBIX_UI/api_jsonrpc.php" \
        "$ZABBIX_SQL/schema.sql.gz" "$ZABBIX_SQL/data.sql.gz" "$ZABBIX_PGBIN/initdb"; do
        if [ ! -e "$_zu_f" ]; then
            echo "SKIP: $_zu_f is missing (zabbix-server-pgsql, zabbix-frontend-php, postgresql)"
            return 1
        fi
    done
    if ! php -m 2>/dev/null | grep -qx pgsql; then
        echo "SKIP: php has no pgsql module (php-pgsql)"
        return 1
    fi
}

# _zabbix_as_owner CMD...: PostgreSQL refuses to run as root; as root, run
# it as the postgres account, which owns ZABBIX_PG_DIR.
_zabbix_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_zabbix_db_start() {
    # Not under MPRMON_TEST_TMP: that directory is private to us, and the
    # postgres account must reach its own.
    ZABBIX_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mprmon-zabbix-pg.XXXXXX") || return 1
    [ "$(id -u)" != 0 ] || chown postgres "$ZABBIX_PG_DIR" || return 1
    ZABBIX_DB_PORT=$(pick_port)
    _zabbix_as_owner "$ZABBIX_PGBIN/initdb" -D "$ZABBIX_PG_DIR/data" -U zabbix \
        -A trust -E UTF8 --locale=C.UTF-8 >"$MPRMON_TEST_TMP/zabbix-initdb.log" 2>&1 ||
        { cat "$MPRMON_TEST_TMP/zabbix-initdb.log"; return 1; }
    # A throw-away database: durability off, for speed.
    _zabbix_as_owner "$ZABBIX_PGBIN/pg_ctl" -D "$ZABBIX_PG_DIR/data" \
        -l "$ZABBIX_PG_DIR/postgres.log" -w -t 60 -o "-h 127.0.0.1 -p $ZABBIX_DB_PORT \
        -k $ZABBIX_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { cat "$ZABBIX_PG_DIR/postgres.log"; return 1; }
    "$ZABBIX_PGBIN/createdb" -h 127.0.0.1 -p "$ZABBIX_DB_PORT" -U zabbix zabbix || return 1
    for _zd_part in schema images data; do
        zcat "$ZABBIX_SQL/$_zd_part.sql.gz"
    done | "$ZABBIX_PGBIN/psql" -q -1 -v ON_ERROR_STOP=1 -h 127.0.0.1 \
        -p "$ZABBIX_DB_PORT" -U zabbix -d zabbix >"$MPRMON_TEST_TMP/zabbix-schema.log" 2>&1 ||
        { tail -n 20 "$MPRMON_TEST_TMP/zabbix-schema.log"; return 1; }
}

# The frontend reads its settings from one fixed path under /etc: a copy of
# it reads them from ZABBIX_DIR instead.
_zabbix_frontend_start() {
    cp -a "$ZABBIX_UI" "$ZABBIX_DIR/ui" || return 1
    sed -i "s|const CONFIG_FILE_PATH = '[^']*';|const CONFIG_FILE_PATH = '$ZABBIX_DIR/zabbix.conf.php';|" \
        "$ZABBIX_DIR/ui/include/classes/core/CConfigFile.php" || return 1
    grep -q "$ZABBIX_DIR/zabbix.conf.php" "$ZABBIX_DIR/ui/include/classes/core/CConfigFile.php" ||
        { echo "zabbix_start: cannot point the frontend at its settings" >&2; return 1; }
    cat >"$ZABBIX_DIR/zabbix.conf.php" <<EOF
<?php
\$DB['TYPE'] = 'POSTGRESQL';
\$DB['SERVER'] = '127.0.0.1';
\$DB['PORT'] = '$ZABBIX_DB_PORT';
\$DB['DATABASE'] = 'zabbix';
\$DB['USER'] = 'zabbix';
\$DB['PASSWORD'] = '';
\$DB['SCHEMA'] = '';
\$DB['ENCRYPTION'] = false;
\$DB['KEY_FILE'] = '';
\$DB['CERT_FILE'] = '';
\$DB['CA_FILE'] = '';
\$DB['VERIFY_HOST'] = false;
\$DB['CIPHER_LIST'] = '';
\$DB['VAULT_URL'] = '';
\$DB['VAULT_DB_PATH'] = '';
\$DB['VAULT_TOKEN'] = '';
\$DB['DOUBLE_IEEE754'] = true;
\$ZBX_SERVER = '127.0.0.1';
\$ZBX_SERVER_PORT = '$ZABBIX_TRAPPER_PORT';
\$ZBX_SERVER_NAME = 'mprmon-test';
\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
EOF
    _zf_port=$(pick_port)
    php -S "127.0.0.1:$_zf_port" -t "$ZABBIX_DIR/ui" >"$ZABBIX_DIR/php.log" 2>&1 &
    peers_track $!
    wait_port "$_zf_port" 20 || return 1
    ZABBIX_API_URL=http://127.0.0.1:$_zf_port/api_jsonrpc.php
    export ZABBIX_API_URL
}

# _zabbix_pick_trapper_port: a free TCP port on 127.0.0.1 in the range
# zabbix_server accepts for ListenPort (1024-32767), below the kernel's
# ephemeral ports that pick_port hands out.
_zabbix_pick_trapper_port() {
    "$PYTHON3_SYSTEM" -c 'import random, socket
for _ in range(200):
    port = random.randint(20000, 32767)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break'
}

# zabbix_server with only the processes the tests use; a configuration
# cache refreshed every second, so that what the API creates is polled
# within the test.
_zabbix_server_start() {
    _zs_conf=$ZABBIX_DIR/zabbix_server.conf
    {
        echo "ListenIP=127.0.0.1"
        echo "ListenPort=$ZABBIX_TRAPPER_PORT"
        echo "DBHost=127.0.0.1"
        echo "DBPort=$ZABBIX_DB_PORT"
        echo "DBName=zabbix"
        echo "DBUser=zabbix"
        echo "LogFile=$ZABBIX_DIR/zabbix_server.log"
        echo "PidFile=$ZABBIX_DIR/zabbix_server.pid"
        echo "SocketDir=$ZABBIX_DIR"
        echo "SNMPTrapperFile=$1"
        echo "StartSNMPTrapper=1"
        echo "CacheUpdateFrequency=1"
        echo "StartPollers=2"
        echo "StartPollersUnreachable=1"
        echo "StartPreprocessors=1"
        echo "StartLLDProcessors=1"
        echo "StartHistoryPollers=1"
        echo "StartTrappers=1"
        echo "StartPingers=0"
        echo "StartDiscoverers=0"
        echo "StartHTTPPollers=0"
        echo "StartAlerters=1"
        echo "StartODBCPollers=0"
        echo "HousekeepingFrequency=0"
        echo "Timeout=4"
        [ "$(id -u)" != 0 ] || echo "AllowRoot=1"
    } >"$_zs_conf"
    # Its Net-SNMP library would read and write the system's SNMP state.
    mkdir -p "$ZABBIX_DIR/snmp" || return 1
    SNMPCONFPATH=$ZABBIX_DIR/snmp SNMP_PERSISTENT_DIR=$ZABBIX_DIR/snmp \
        "$ZABBIX_SERVER_BIN" -f -c "$_zs_conf" >"$ZABBIX_DIR/zabbix_server.out" 2>&1 &
    ZABBIX_SERVER_PID=$!
    peers_track "$ZABBIX_SERVER_PID"
    wait_port "$ZABBIX_TRAPPER_PORT" 30 || {
        cat "$ZABBIX_DIR/zabbix_server.out"
        tail -n 30 "$ZABBIX_DIR/zabbix_server.log" 2>/dev/null
        return 1
    }
}

# zabbix_start TRAPFILE: the database, the frontend and the server, which
# reads SNMP notifications from TRAPFILE.  Exports ZABBIX_API_URL and
# ZABBIX_DIR (logs: zabbix_server.log, php.log).
zabbix_start() {
    ZABBIX_DIR=$MPRMON_TEST_TMP/zabbix
    mkdir -p "$ZABBIX_DIR" || return 1
    export ZABBIX_DIR
    ZABBIX_TRAPPER_PORT=$(_zabbix_pick_trapper_port)
    _zabbix_db_start || return 1
    _zabbix_frontend_start || return 1
    _zabbix_server_start "$1" || return 1
}

# zabbix_api METHOD JSON-PARAMS: one API call as Admin; prints the result.
zabbix_api() {
    "$PYTHON3_SYSTEM" "$ZABBIX_API_PY" "$ZABBIX_API_URL" "$@"
}

# zabbix_stop: the server first (it holds database connections), then
# PostgreSQL; a no-op for what was never started.
zabbix_stop() {
    if [ -n "${ZABBIX_SERVER_PID:-}" ]; then
        kill -TERM "$ZABBIX_SERVER_PID" 2>/dev/null
        _zst_i=0
        while kill -0 "$ZABBIX_SERVER_PID" 2>/dev/null && [ "$_zst_i" -lt 100 ]; do
            sleep 0.1; _zst_i=$((_zst_i + 1))
        done
        kill -KILL "$ZABBIX_SERVER_PID" 2>/dev/null
        peers_untrack "$ZABBIX_SERVER_PID"
        ZABBIX_SERVER_PID=
    fi
    if [ -n "${ZABBIX_PG_DIR:-}" ]; then
        [ ! -f "$ZABBIX_PG_DIR/data/postmaster.pid" ] ||
            _zabbix_as_owner "$ZABBIX_PGBIN/pg_ctl" -D "$ZABBIX_PG_DIR/data" \
                -m immediate -w stop >/dev/null 2>&1
        rm -rf "$ZABBIX_PG_DIR"
        ZABBIX_PG_DIR=
    fi
}
