#!/usr/bin/env bash
# Tests the repository launcher ./kvmsim: concurrent launches during a (re)build share one
# build under the lock and each runs a complete jar. Maven is replaced by a slow fake
# (KVMSIM_MVN) that writes the jar the way a real build does, in pieces, from the jar that
# `mvn verify` built; so the test takes seconds and needs no network.
# Usage: .ci/launcher-test.sh (after mvn package/verify). Prints "N passed, N failed".
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
real_jar="$repo/cli/target/kvmsim.jar"
if [ ! -f "$real_jar" ]; then
  echo "launcher-test: $real_jar is missing: run mvn package first" >&2
  exit 2
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/kvmsim-launcher-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
tree="$work/tree"
mkdir -p "$tree"
tar -C "$repo" --exclude=./.git --exclude='*/target' --exclude=./target -cf - . | tar -C "$tree" -xf -
cat >"$work/fake-mvn" <<FAKE
#!/usr/bin/env bash
# writes cli/target/kvmsim.jar slowly, as shade does: first a truncated file, then the whole jar
echo "\$*" >>"$work/mvn-calls"
mkdir -p cli/target
head -c 1000 "$real_jar" >cli/target/kvmsim.jar
sleep 2
cp "$real_jar" cli/target/kvmsim.jar
FAKE
chmod +x "$work/fake-mvn"
export KVMSIM_MVN="$work/fake-mvn"
passed=0
failed=0
check() { # name, condition...
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
launch_two() { # runs two `kvmsim list` at once; records exit codes and output
  (cd "$tree" && ./kvmsim list >"$work/out1" 2>"$work/err1"; echo $? >"$work/rc1") &
  local p1=$!
  sleep 0.3
  (cd "$tree" && ./kvmsim list >"$work/out2" 2>"$work/err2"; echo $? >"$work/rc2") &
  local p2=$!
  wait "$p1" "$p2"
}
calls() { [ -f "$work/mvn-calls" ] && wc -l <"$work/mvn-calls" || echo 0; }

# 1. first run: two launches while nothing is built
launch_two
check "first run: both launches exit 0" [ "$(cat "$work/rc1")" = 0 -a "$(cat "$work/rc2")" = 0 ]
check "first run: both list the built-in scenarios" grep -q virtio-net-notify "$work/out2"
check "first run: same output" cmp -s "$work/out1" "$work/out2"
check "first run: one build" [ "$(calls)" = 1 ]
check "first run: says what it does on stderr" grep -q "building kvmsim, first run only, about a minute" "$work/err1"
check "first run: stdout stays clean" bash -c "! grep -q building '$work/out1'"

# 2. a rebuild after a source changed, two launches again
sleep 1
touch "$tree/cli/src/main/java/dev/kvmsim/cli/Main.java"
launch_two
check "rebuild: both launches exit 0" [ "$(cat "$work/rc1")" = 0 -a "$(cat "$work/rc2")" = 0 ]
check "rebuild: same output" cmp -s "$work/out1" "$work/out2"
check "rebuild: one more build" [ "$(calls)" = 2 ]
check "rebuild: says it rebuilds" grep -q "rebuilding kvmsim" "$work/err1"

# 3. up to date: no build, nothing on stderr
(cd "$tree" && ./kvmsim list >"$work/out3" 2>"$work/err3")
check "up to date: no build" [ "$(calls)" = 2 ]
check "up to date: quiet stderr" [ ! -s "$work/err3" ]

# 4. MAVEN_ARGS reaches Maven's command line
sleep 1
touch "$tree/cli/src/main/java/dev/kvmsim/cli/Main.java"
(cd "$tree" && MAVEN_ARGS="-Dkvmsim.marker=1 -o" ./kvmsim list >/dev/null 2>&1)
check "MAVEN_ARGS passed to mvn" grep -q -- "-Dkvmsim.marker=1 -o" "$work/mvn-calls"

# 5. a failed build: exit 2 with Maven's output
cat >"$work/fake-mvn" <<'FAKE'
#!/usr/bin/env bash
echo "[ERROR] COMPILATION ERROR : broken.java"
exit 1
FAKE
sleep 1
touch "$tree/cli/src/main/java/dev/kvmsim/cli/Main.java"
(cd "$tree" && ./kvmsim list >/dev/null 2>"$work/err5"; echo $? >"$work/rc5")
check "failed build: exit 2" [ "$(cat "$work/rc5")" = 2 ]
check "failed build: Maven's output shown" grep -q "COMPILATION ERROR" "$work/err5"

echo "launcher: $passed passed, $failed failed"
[ "$failed" = 0 ]
