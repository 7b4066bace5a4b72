# shellcheck shell=bash
# Virtual-environment helper shared by scripts/lab and scripts/test. Sourced, not executed.
#
#   ensure_venv DIR PYTHON PIP_INSTALL_ARGS...
#
# Makes DIR a virtual environment of PYTHON (>= 3.10) holding `pip install PIP_INSTALL_ARGS`,
# run from the repository root. The install is skipped when a stamp file in DIR shows that the
# same arguments, requirements.txt and pyproject.toml were already installed there. The venv is
# made anew when it is missing or broken, or was made from another interpreter or for another
# checkout of the repository (a venv cannot be moved). pip's output goes to DIR/pip-install.log
# and is shown only when the install fails.

_venv_say() { printf '[setup] %s\n' "$*" >&2; }

_venv_hash() {
    # Hash of the arguments, then of each file (or "<missing>"), on stdout.
    {
        printf '%s\n' "$@"
        local f
        for f in requirements.txt pyproject.toml; do
            printf '== %s\n' "$f"
            if [[ -f $f ]]; then cat "$f"; else printf '<missing>\n'; fi
        done
    } | sha256sum | cut -d' ' -f1
}

ensure_venv() {
    local venv=$1 python=$2
    shift 2
    local stamp="$venv/.install-stamp" log="$venv/pip-install.log"

    local ident
    if ! ident=$("$python" -c 'import sys
assert sys.version_info >= (3, 10), "Python >= 3.10 is required, this is " + sys.version.split()[0]
print(sys.executable, sys.version.split()[0])' 2>&1); then
        _venv_say "cannot use '$python' for $venv: ${ident##*$'\n'}"
        return 1
    fi
    # What the venv is bound to (line 1 of the stamp) and what was installed into it (line 2).
    local want_base="$ident @ $PWD" want_hash
    want_hash=$(_venv_hash "$@")

    local lock_fd=""
    if command -v flock >/dev/null 2>&1; then
        # Two scripts started at once must not build the same venv concurrently.
        exec {lock_fd}>"$venv.lock"
        flock "$lock_fd"
    fi

    local have_base="" have_hash=""
    if [[ -f $stamp ]]; then
        { IFS= read -r have_base || true; IFS= read -r have_hash || true; } <"$stamp"
    fi

    local rc=0
    if [[ $have_base == "$want_base" && $have_hash == "$want_hash" ]] \
        && "$venv/bin/python" -c '' 2>/dev/null; then
        _venv_say "$venv is up to date ($ident)"
    else
        if [[ $have_base != "$want_base" ]] || ! "$venv/bin/python" -c '' 2>/dev/null; then
            _venv_say "creating $venv from $ident"
            rm -rf "$venv"
            "$python" -m venv "$venv" || rc=$?
        fi
        if ((rc == 0)); then
            rm -f "$stamp"
            _venv_say "installing into $venv: pip install $* (log: $log)"
            local t0=$SECONDS
            if PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
                "$venv/bin/python" -m pip install "$@" >"$log" 2>&1; then
                printf '%s\n%s\n' "$want_base" "$want_hash" >"$stamp"
                _venv_say "installed in $((SECONDS - t0))s"
            else
                rc=1
                _venv_say "pip install into $venv FAILED; the end of $log:"
                tail -n 40 "$log" >&2
            fi
        fi
    fi

    if [[ -n $lock_fd ]]; then
        exec {lock_fd}>&-
    fi
    return "$rc"
}
