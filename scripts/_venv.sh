# shellcheck shell=bash
# Virtual-environment helper shared by scripts/lab, scripts/test and scripts/lock. Sourced, not
# executed; run from the repository root.
#
#   ensure_uv PYTHON              sets UV to the course's pinned uv (COURSE_UV_VERSION), installed
#                                 from PyPI with PYTHON's pip the first time (see below)
#   ensure_venv DIR PYTHON        DIR holds exactly requirements.lock (+ this repository, editable)
#   ensure_venv DIR PYTHON PKG... DIR holds PKG... at requirements.lock's versions (+ this
#                                 repository, editable), e.g. the engine's pytest environments
#
# uv does the installing: it knows when an environment is already up to date (a no-op takes well
# under a second), and `uv pip sync` removes what the lock does not list. requirements.lock is
# compiled from requirements.txt by scripts/lock. The venv is made anew only when it is missing or
# broken, or was made from another interpreter or for another folder (a venv cannot be moved).
# uv's output goes to DIR/uv-install.log and is shown only when the install fails.

#: The uv that every script uses, whatever else is installed on the machine.
COURSE_UV_VERSION=0.13.8
#: Where it is installed: outside the checkout, so that every clone of the course shares it (as
#: they share uv's package cache), one folder per version.
COURSE_UV_HOME=${COURSE_UV_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/thread-sync-course}
#: What every environment installs (scripts/lock compiles it from requirements.txt).
COURSE_LOCK=requirements.lock

# uv never downloads an interpreter: every venv is made from the Python the scripts were given.
export UV_PYTHON_DOWNLOADS=never

_venv_say() { printf '[setup] %s\n' "$*" >&2; }

# _venv_flock FILE: hold an exclusive lock on FILE until the shell closes _VENV_LOCK_FD (no-op
# where flock is missing). Two scripts started at once must not build the same thing together.
_venv_flock() {
    _VENV_LOCK_FD=""
    if command -v flock >/dev/null 2>&1; then
        exec {_VENV_LOCK_FD}>"$1"
        flock "$_VENV_LOCK_FD"
    fi
}
_venv_funlock() {
    if [[ -n ${_VENV_LOCK_FD:-} ]]; then
        exec {_VENV_LOCK_FD}>&-
        _VENV_LOCK_FD=""
    fi
}

ensure_uv() {
    local python=$1
    local dir="$COURSE_UV_HOME/uv-$COURSE_UV_VERSION"
    UV="$dir/bin/uv"
    if [[ $("$UV" --version 2>/dev/null) == "uv $COURSE_UV_VERSION"* ]]; then
        return 0
    fi
    mkdir -p "$COURSE_UV_HOME" || return 1
    _venv_flock "$dir.lock"
    local rc=0
    if [[ $("$UV" --version 2>/dev/null) != "uv $COURSE_UV_VERSION"* ]]; then
        _venv_bootstrap_uv "$python" "$dir" || rc=$?
    fi
    _venv_funlock
    return "$rc"
}

# _venv_bootstrap_uv PYTHON DIR: `pip install --target DIR uv==COURSE_UV_VERSION` from PyPI, with
# PYTHON's pip, or with the pip of a throw-away venv where PYTHON has none (Debian's python3).
_venv_bootstrap_uv() {
    local python=$1 dir=$2
    local tmp="$dir.tmp.$$" log="$COURSE_UV_HOME/uv-bootstrap.log" t0=$SECONDS
    _venv_say "installing uv $COURSE_UV_VERSION from PyPI into $dir (log: $log)"
    rm -rf "$tmp"
    local pip=("$python" -m pip)
    (
        export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_ROOT_USER_ACTION=ignore
        export PIP_USER=0 PIP_REQUIRE_VIRTUALENV=0
        if ! "${pip[@]}" --version >/dev/null 2>&1; then
            # No pip for this interpreter: a venv brings its own (ensurepip), used once.
            "$python" -m venv "$tmp.pip" && pip=("$tmp.pip/bin/python" -m pip)
        fi
        # A wheel only: building uv from its source would need a Rust toolchain.
        "${pip[@]}" install --quiet --only-binary=:all: --no-compile --target "$tmp" \
            "uv==$COURSE_UV_VERSION"
    ) >"$log" 2>&1
    rm -rf "$tmp.pip"
    if [[ $("$tmp/bin/uv" --version 2>/dev/null) != "uv $COURSE_UV_VERSION"* ]]; then
        rm -rf "$tmp"
        _venv_say "could not install uv with $python's pip (it needs pip, or the venv module to"
        _venv_say "get one: on Debian/Ubuntu 'apt install python3-venv'); the end of $log:"
        tail -n 20 "$log" >&2
        return 1
    fi
    rm -rf "$dir" && mv "$tmp" "$dir"
    _venv_say "uv $COURSE_UV_VERSION installed in $((SECONDS - t0))s"
}

ensure_venv() {
    local venv=$1 python=$2
    shift 2
    local log="$venv/uv-install.log" marker="$venv/.course-venv"

    if [[ ! -f $COURSE_LOCK ]]; then
        _venv_say "$COURSE_LOCK is missing: run ./scripts/lock to compile it from requirements.txt"
        return 1
    fi
    local ident
    if ! ident=$("$python" -c 'import sys
assert sys.version_info >= (3, 10), "Python >= 3.10 is required, this is " + sys.version.split()[0]
print(sys.executable, sys.version.split()[0])' 2>&1); then
        _venv_say "cannot use '$python' for $venv: ${ident##*$'\n'}"
        return 1
    fi
    ensure_uv "$python" || return 1

    _venv_flock "$venv.lock"
    local rc=0 t0=$SECONDS
    # What the venv is bound to: the interpreter it was made from and the folder it is in.
    local want="$ident @ $PWD/$venv" have=""
    [[ -f $marker ]] && have=$(<"$marker")
    if [[ $have != "$want" ]] || ! "$venv/bin/python" -c '' 2>/dev/null; then
        _venv_say "creating $venv from $ident"
        rm -rf "$venv"
        if "$UV" venv --quiet --python "${ident% *}" "$venv" >&2; then
            printf '%s\n' "$want" >"$marker"
        else
            rc=1
        fi
    fi
    if ((rc == 0)); then
        # This repository, editable, by absolute path (uv reads a requirements file's paths
        # relative to the working directory, which must not matter here).
        printf -- '-e %s\n' "$PWD" >"$venv/.course-editable.txt"
        local cmd what
        if (($# == 0)); then
            cmd=(pip sync "$COURSE_LOCK" "$venv/.course-editable.txt")
            what="$COURSE_LOCK"
        else
            printf '%s\n' "$@" >"$venv/.course-packages.txt"
            cmd=(pip install --constraint "$COURSE_LOCK" -r "$venv/.course-editable.txt"
                 -r "$venv/.course-packages.txt")
            what="$* at $COURSE_LOCK's versions"
        fi
        # Offline first: when uv's cache holds every package (the usual case) that is all it
        # needs, and it skips asking the index again; online when something is missing.
        if "$UV" "${cmd[@]}" --python "$venv/bin/python" --offline >"$log" 2>&1 \
            || "$UV" "${cmd[@]}" --python "$venv/bin/python" >>"$log" 2>&1; then
            local said
            said=$(grep -E '^(Checked|Installed|Uninstalled|Audited|Bytecode)' "$log" | paste -sd ';')
            _venv_say "$venv: $what: ${said//;/; } ($((SECONDS - t0))s)"
        else
            rc=1
            _venv_say "installing $what into $venv FAILED; the end of $log:"
            tail -n 40 "$log" >&2
        fi
    fi
    _venv_funlock
    return "$rc"
}
