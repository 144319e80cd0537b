# Checks shared by the command-line tests, sourced after `apsco=$1`
# (a library, not a test: CTest runs tests/cli/*.sh only). Each check says
# what failed and sets fail=1; a script ends with `exit "$fail"`.
fail=0

check() { # check DESCRIPTION COMMAND...
    what=$1
    shift
    if ! "$@"; then
        echo "FAIL: $what"
        fail=1
    fi
}

expect() { # expect CODE PATTERN -- ARGS...: apsco ARGS exits CODE and says PATTERN on stderr
    code=$1 pattern=$2
    shift 3
    "$apsco" "$@" >out.txt 2>err.txt
    rc=$?
    if [ "$rc" -ne "$code" ] || ! grep -q -- "$pattern" err.txt; then
        echo "FAIL: apsco $* -> exit $rc (expected $code), stderr:"
        cat err.txt
        fail=1
    fi
}
