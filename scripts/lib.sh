# shellcheck shell=bash
# Shared helpers for Berth's set-up and test scripts. Source it; do not run it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Every ensure_* function is idempotent: when what it needs is already there it
# installs and starts nothing. Installing uses apt-get (Debian/Ubuntu) and needs
# root or passwordless sudo. Nothing is ever pulled from a container registry.

if [[ -n ${_BERTH_LIB_LOADED:-} ]]; then return 0; fi
_BERTH_LIB_LOADED=1

BERTH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BERTH_ROOT

# ---------------------------------------------------------------- logging ---

if [[ -t 2 && -z ${NO_COLOR:-} ]]; then
    _c_dim=$'\e[2m' _c_bold=$'\e[1m' _c_yellow=$'\e[33m' _c_red=$'\e[31m' _c_off=$'\e[0m'
else
    _c_dim='' _c_bold='' _c_yellow='' _c_red='' _c_off=''
fi

# log MSG...   progress note on stderr
log() { printf '%s[berth]%s %s\n' "$_c_dim" "$_c_off" "$*" >&2; }
# log_step MSG...   start of a major step
log_step() { printf '\n%s==> %s%s\n' "$_c_bold" "$*" "$_c_off" >&2; }
# warn MSG...
warn() { printf '%s[berth] warning:%s %s\n' "$_c_yellow" "$_c_off" "$*" >&2; }
# die MSG...   print and exit 1
die() { printf '%s[berth] error:%s %s\n' "$_c_red" "$_c_off" "$*" >&2; exit 1; }

# ------------------------------------------------------------- exit hooks ---

_BERTH_EXIT_HOOKS=()

# berth_at_exit CMD   run CMD (a string, eval'd) when the script exits; hooks run
# last-registered first. INT/TERM are turned into exits so the hooks run then too.
berth_at_exit() {
    _BERTH_EXIT_HOOKS+=("$1")
    trap _berth_run_exit_hooks EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

_berth_run_exit_hooks() {
    local rc=$? i
    for ((i = ${#_BERTH_EXIT_HOOKS[@]} - 1; i >= 0; i--)); do
        eval "${_BERTH_EXIT_HOOKS[i]}" || true
    done
    _BERTH_EXIT_HOOKS=()
    return "$rc"
}

# ------------------------------------------------------------ privileges ---

# as_root CMD...   run CMD as root (directly, or through sudo -n)
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        die "need root to run: $* (run as root or install sudo)"
    fi
}

# ------------------------------------------------------------------- apt ---

_BERTH_APT_UPDATED=''

# pkg_installed PKG   true when dpkg knows PKG as installed
pkg_installed() {
    command -v dpkg-query >/dev/null 2>&1 || return 1
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == 'install ok installed' ]]
}

# apt_install PKG...   install packages non-interactively (apt-get update first,
# once per script). Package maintainer scripts are kept from starting services
# (we start dockerd/postgres ourselves, as plain background processes).
apt_install() {
    [[ $# -gt 0 ]] || return 0
    command -v apt-get >/dev/null 2>&1 ||
        die "apt-get not found; install these packages by hand: $*"
    log "installing with apt-get: $*"
    if [[ -z $_BERTH_APT_UPDATED ]]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 ||
            die "apt-get update failed"
        _BERTH_APT_UPDATED=1
    fi
    local made_policy=''
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        # exit 101 = "action forbidden": invoke-rc.d starts no service.
        as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
        made_policy=1
    fi
    local rc=0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends -o Dpkg::Options::=--force-confdef \
        -o Dpkg::Options::=--force-confold "$@" >&2 || rc=$?
    if [[ -n $made_policy ]]; then as_root rm -f /usr/sbin/policy-rc.d; fi
    [[ $rc -eq 0 ]] || die "apt-get install $* failed (exit $rc)"
}

# ---------------------------------------------------------------- dotnet ---

# ensure_dotnet   the .NET 10 SDK must be there already (it is not in Debian's
# archive); fails with install instructions otherwise.
ensure_dotnet() {
    local hint="Install the .NET 10 SDK: https://learn.microsoft.com/dotnet/core/install/linux-debian
  (apt: add packages.microsoft.com, then 'apt-get install dotnet-sdk-10.0'), or
  curl -sSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel 10.0 --install-dir /usr/share/dotnet
  and put 'dotnet' on PATH."
    if ! command -v dotnet >/dev/null 2>&1; then
        local d
        for d in "${DOTNET_ROOT:-}" "$HOME/.dotnet" /usr/share/dotnet /usr/lib/dotnet; do
            if [[ -n $d && -x $d/dotnet ]]; then
                export PATH="$d:$PATH"
                break
            fi
        done
    fi
    command -v dotnet >/dev/null 2>&1 || die "'dotnet' not found. $hint"
    local sdks
    sdks="$(dotnet --list-sdks 2>/dev/null || true)"
    if ! grep -Eq '^(1[0-9]|[2-9][0-9])\.' <<<"$sdks"; then
        die "no .NET SDK 10 or newer found (have: ${sdks:-none}). $hint"
    fi
    export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
    export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
    export DOTNET_SKIP_FIRST_TIME_EXPERIENCE="${DOTNET_SKIP_FIRST_TIME_EXPERIENCE:-1}"
    log "dotnet: SDK $(dotnet --version 2>/dev/null)"
}

# ---------------------------------------------------------------- docker ---

BERTH_DOCKERD_LOG="${BERTH_DOCKERD_LOG:-/var/log/berth-dockerd.log}"

# ensure_docker   a working Docker Engine: install docker.io when dockerd is
# missing, start dockerd in the background when it is not running (log in
# $BERTH_DOCKERD_LOG), wait up to 60 s for 'docker info'. Returns 1 on failure.
ensure_docker() {
    if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
        log "docker: engine is up ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
        return 0
    fi
    if [[ -n ${DOCKER_HOST:-} ]]; then
        warn "docker: DOCKER_HOST=$DOCKER_HOST is set but 'docker info' fails there; not starting a local engine"
        return 1
    fi
    if ! command -v dockerd >/dev/null 2>&1 && [[ ! -x /usr/sbin/dockerd && ! -x /usr/bin/dockerd ]]; then
        log "docker: no engine (dockerd) installed"
        apt_install docker.io iptables ca-certificates
    fi
    local dockerd_bin
    dockerd_bin="$(command -v dockerd || true)"
    [[ -n $dockerd_bin ]] || for dockerd_bin in /usr/sbin/dockerd /usr/bin/dockerd; do [[ -x $dockerd_bin ]] && break; done
    [[ -x $dockerd_bin ]] || { warn "docker: dockerd still missing after install"; return 1; }
    if ! command -v docker >/dev/null 2>&1; then
        warn "docker: no 'docker' client on PATH (the docker.io package provides /usr/bin/docker)"
        return 1
    fi

    if _berth_dockerd_running; then
        log "docker: dockerd is running but not answering yet; waiting"
    else
        # A pid file left by a dockerd that died makes the next one refuse to start.
        as_root rm -f /var/run/docker.pid
        log "docker: starting $dockerd_bin in the background (log: $BERTH_DOCKERD_LOG)"
        as_root touch "$BERTH_DOCKERD_LOG"
        # setsid: own session, so the engine outlives this script and its Ctrl-C.
        as_root setsid nohup "$dockerd_bin" >>"$BERTH_DOCKERD_LOG" 2>&1 </dev/null &
        disown 2>/dev/null || true
    fi
    local i
    for ((i = 0; i < 60; i++)); do
        if docker info >/dev/null 2>&1; then
            log "docker: engine is up after ${i}s ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
            return 0
        fi
        sleep 1
    done
    warn "docker: 'docker info' still fails after 60 s; last lines of $BERTH_DOCKERD_LOG:"
    tail -n 25 "$BERTH_DOCKERD_LOG" >&2 2>/dev/null || true
    return 1
}

_berth_dockerd_running() {
    local pid
    if [[ -r /var/run/docker.pid ]]; then
        pid="$(cat /var/run/docker.pid 2>/dev/null || true)"
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then return 0; fi
    fi
    if command -v pgrep >/dev/null 2>&1 && pgrep -x dockerd >/dev/null 2>&1; then return 0; fi
    return 1
}

# ----------------------------------------------------------------- tools ---

# ensure_tools   host tools used to build base images and run the storage agent (tmux: the terminal tests;
# chromium: the browser tests, driven by Playwright at /usr/bin/chromium).
ensure_tools() {
    local missing=() pkg
    # package:command pairs; the command is the fallback check where dpkg is absent.
    local wanted=(busybox-static:busybox debootstrap:debootstrap tar:tar curl:curl util-linux:unshare tmux:tmux chromium:chromium)
    for pkg in "${wanted[@]}"; do
        local name=${pkg%%:*} cmd=${pkg#*:}
        if pkg_installed "$name"; then continue; fi
        if ! command -v dpkg-query >/dev/null 2>&1 && command -v "$cmd" >/dev/null 2>&1; then continue; fi
        missing+=("$name")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        log "tools: busybox-static debootstrap tar curl util-linux tmux chromium present"
        return 0
    fi
    # debootstrap verifies the archive signature with these (Recommends, not Depends).
    if [[ " ${missing[*]} " == *' debootstrap '* ]]; then missing+=(debian-archive-keyring gpgv); fi
    if [[ " ${missing[*]} " == *' curl '* ]]; then missing+=(ca-certificates); fi
    apt_install "${missing[@]}"
}

# ensure_transfer_clients   third-party clients the storage protocol tests drive
# (tests/Berth.Integration.Tests/ThirdPartyClientTests.cs): curl, wget and aria2c
# from apt, Node.js, and tus-js-client from npm (the exact versions locked in
# tests/Berth.Integration.Tests/ThirdParty/package-lock.json, installed by
# 'npm ci' beside it); also axe-core for the web console's accessibility checks
# (tests/Berth.Web.Tests/package-lock.json). Offline-safe once installed: nothing
# is fetched while each installed node_modules matches its lock file.
ensure_transfer_clients() {
    local missing=() pkg dir
    for pkg in curl:curl wget:wget aria2:aria2c nodejs:node npm:npm; do
        command -v "${pkg#*:}" >/dev/null 2>&1 || missing+=("${pkg%%:*}")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        (apt_install "${missing[@]}" ca-certificates) || { warn "transfer clients: could not install ${missing[*]}"; return 1; }
    fi
    for dir in "$BERTH_ROOT/tests/Berth.Integration.Tests/ThirdParty" "$BERTH_ROOT/tests/Berth.Web.Tests"; do
        # npm ci writes node_modules/.package-lock.json; equal to the lock file means nothing changed.
        if [[ -f $dir/node_modules/.package-lock.json && ! $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
            log "npm packages present in ${dir#"$BERTH_ROOT"/}"
            continue
        fi
        log "npm ci in ${dir#"$BERTH_ROOT"/}"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || { warn "npm ci failed in ${dir#"$BERTH_ROOT"/}"; return 1; }
    done
}

# ensure_images CLI...   build Berth's base images (berth/minimal, berth/python) when missing.
# CLI is how to run berth (./berth, or dotnet path/to/berth.dll). The server registers
# them in its catalog when it starts, so they are built without --import here.
# BERTH_REBUILD_IMAGES=1 rebuilds them even when present.
ensure_images() {
    local image
    for image in minimal python; do
        if [[ -z ${BERTH_REBUILD_IMAGES:-} ]] && docker image inspect "berth/$image:latest" >/dev/null 2>&1; then
            log "image berth/$image:latest is present (BERTH_REBUILD_IMAGES=1 rebuilds it)"
            continue
        fi
        log "building image berth/$image:latest"
        "$@" image build "$image" --no-import || return 1
    done
}

# -------------------------------------------------------------- postgres ---

BERTH_TEST_PG_PORT="${BERTH_TEST_PG_PORT:-55432}"

# ensure_postgres   make $BERTH_TEST_POSTGRES point at a reachable server.
# If it is set and reachable it is used as is. Otherwise PostgreSQL is installed
# (apt 'postgresql') when initdb/pg_ctl are missing, and a throwaway cluster is
# created in a temp dir, owned by user 'postgres', listening on 127.0.0.1:55432
# (or $BERTH_TEST_PG_PORT; the next free port if that one is taken) with
# fsync=off, with a role berth/berth that may CREATEDB. The cluster is stopped
# and deleted when the calling script exits. Returns 1 on failure.
ensure_postgres() {
    if [[ -n ${BERTH_TEST_POSTGRES:-} ]]; then
        if _berth_pg_reachable "$BERTH_TEST_POSTGRES"; then
            log "postgres: using BERTH_TEST_POSTGRES ($(_berth_pg_redact "$BERTH_TEST_POSTGRES"))"
            return 0
        fi
        warn "postgres: BERTH_TEST_POSTGRES is set but not reachable ($(_berth_pg_redact "$BERTH_TEST_POSTGRES")); starting a throwaway cluster instead"
    fi

    local bindir
    bindir="$(_berth_pg_bindir)"
    if [[ -z $bindir ]]; then
        log "postgres: initdb/pg_ctl not found"
        apt_install postgresql
        bindir="$(_berth_pg_bindir)"
        [[ -n $bindir ]] || { warn "postgres: initdb/pg_ctl still missing after installing postgresql"; return 1; }
    fi
    log "postgres: server binaries in $bindir ($("$bindir/postgres" --version 2>/dev/null || echo '?'))"

    # Postgres refuses to run as root: the cluster belongs to 'postgres' then.
    local run_as=()
    if [[ $EUID -eq 0 ]]; then
        if ! id -u postgres >/dev/null 2>&1; then
            useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres ||
                { warn "postgres: cannot create user 'postgres'"; return 1; }
        fi
        run_as=(runuser -u postgres --)
    fi

    local port
    port="$(_berth_pg_pick_port "$bindir")" || { warn "postgres: no free port from $BERTH_TEST_PG_PORT on"; return 1; }
    if [[ $port == reuse:* ]]; then
        port=${port#reuse:}
        export BERTH_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=berth;Password=berth;Database=postgres"
        log "postgres: a server with role berth/berth already answers on 127.0.0.1:$port; using it"
        return 0
    fi

    local dir
    dir="$(mktemp -d "${TMPDIR:-/tmp}/berth-pg.XXXXXX")" || return 1
    chmod 700 "$dir"
    [[ ${#run_as[@]} -eq 0 ]] || chown postgres: "$dir"
    _BERTH_PG_DIR=$dir
    _BERTH_PG_BIN=$bindir
    _BERTH_PG_RUNAS=("${run_as[@]}")
    berth_at_exit stop_postgres

    log "postgres: creating a throwaway cluster in $dir/data"
    if ! (cd "$dir" && "${run_as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 \
        --locale=C --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1); then
        warn "postgres: initdb failed:"; tail -n 20 "$dir/initdb.log" >&2
        return 1
    fi
    log "postgres: starting on 127.0.0.1:$port (fsync=off; log: $dir/postgres.log)"
    if ! (cd "$dir" && "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >"$dir/pg_ctl.log" 2>&1); then
        warn "postgres: server did not start:"; tail -n 20 "$dir/postgres.log" "$dir/pg_ctl.log" >&2 2>/dev/null
        return 1
    fi
    if ! (cd "$dir" && "${run_as[@]}" "$bindir/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres \
        -v ON_ERROR_STOP=1 -c "CREATE ROLE berth LOGIN PASSWORD 'berth' CREATEDB" >&2); then
        warn "postgres: could not create role berth"
        return 1
    fi
    local i
    for ((i = 0; i < 30; i++)); do
        if PGPASSWORD=berth PGCONNECT_TIMEOUT=3 "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U berth -d postgres \
            -c 'SELECT 1' >/dev/null 2>&1; then
            export BERTH_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=berth;Password=berth;Database=postgres"
            log "postgres: ready (BERTH_TEST_POSTGRES=$(_berth_pg_redact "$BERTH_TEST_POSTGRES"))"
            return 0
        fi
        sleep 1
    done
    warn "postgres: role berth cannot log in over TCP on 127.0.0.1:$port"
    return 1
}

_BERTH_PG_DIR='' _BERTH_PG_BIN='' _BERTH_PG_RUNAS=()

# stop_postgres   stop and delete the throwaway cluster now (also runs at exit;
# a no-op when ensure_postgres started none). BERTH_KEEP_PG_DIR=1 keeps its files.
stop_postgres() {
    [[ -n $_BERTH_PG_DIR ]] || return 0
    if [[ -f $_BERTH_PG_DIR/data/postmaster.pid ]]; then
        log "postgres: stopping the throwaway cluster"
        (cd "$_BERTH_PG_DIR" && "${_BERTH_PG_RUNAS[@]}" "$_BERTH_PG_BIN/pg_ctl" -D "$_BERTH_PG_DIR/data" \
            -m immediate -w -t 30 stop >/dev/null 2>&1) || warn "postgres: pg_ctl stop failed"
    fi
    if [[ -n ${BERTH_KEEP_PG_DIR:-} ]]; then
        log "postgres: keeping $_BERTH_PG_DIR (BERTH_KEEP_PG_DIR is set)"
    else
        rm -rf "$_BERTH_PG_DIR"
    fi
    _BERTH_PG_DIR=''
}

# _berth_pg_bindir   directory holding initdb, pg_ctl, postgres and psql, or ''.
_berth_pg_bindir() {
    local d
    # Debian keeps the server binaries out of PATH, one dir per major version.
    local found=()
    for d in /usr/lib/postgresql/*/bin; do [[ -d $d ]] && found+=("$d"); done
    if [[ ${#found[@]} -gt 0 ]]; then
        while IFS= read -r d; do
            if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres && -x $d/psql ]]; then
                echo "$d"; return 0
            fi
        done < <(printf '%s\n' "${found[@]}" | sort -t/ -k4,4 -rn)
    fi
    if command -v initdb >/dev/null 2>&1; then
        d="$(dirname "$(readlink -f "$(command -v initdb)")")"
        if [[ -x $d/pg_ctl && -x $d/postgres && -x $d/psql ]]; then echo "$d"; return 0; fi
    fi
    return 0
}

# _berth_pg_pick_port BINDIR   prints a free port, or reuse:PORT when a server
# there already accepts berth/berth.
_berth_pg_pick_port() {
    local port=$BERTH_TEST_PG_PORT last=$((BERTH_TEST_PG_PORT + 20))
    for (( ; port <= last; port++)); do
        if ! _berth_tcp_open 127.0.0.1 "$port"; then echo "$port"; return 0; fi
        if PGPASSWORD=berth PGCONNECT_TIMEOUT=3 "$1/psql" -X -q -h 127.0.0.1 -p "$port" -U berth -d postgres \
            -c 'SELECT 1' >/dev/null 2>&1; then
            echo "reuse:$port"; return 0
        fi
        log "postgres: port $port is taken; trying the next one"
    done
    return 1
}

# _berth_tcp_open HOST PORT   true when something accepts TCP connections there
_berth_tcp_open() {
    # shellcheck disable=SC2016 # expanded by the inner bash
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# _berth_pg_field CONNSTR KEY...   value of the first KEY present (case-insensitive)
_berth_pg_field() {
    local cs=$1 part k v key
    shift
    local IFS=';'
    for key in "$@"; do
        for part in $cs; do
            k="${part%%=*}" v="${part#*=}"
            k="$(tr -d ' ' <<<"$k" | tr '[:upper:]' '[:lower:]')"
            if [[ $k == "$key" ]]; then echo "$v"; return 0; fi
        done
    done
}

_berth_pg_reachable() {
    local host port
    host="$(_berth_pg_field "$1" host server)" port="$(_berth_pg_field "$1" port)"
    host=${host:-127.0.0.1} port=${port:-5432}
    host=${host%%,*}
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -t 3 -h "$host" -p "$port"
    else
        _berth_tcp_open "$host" "$port"
    fi
}

_berth_pg_redact() { sed -E 's/(Password|Pwd)=[^;]*/\1=***/Ig' <<<"$1"; }
