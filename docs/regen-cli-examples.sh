#!/usr/bin/env bash
# Re-runs every command shown in docs/cli.md and prints it ("$ command") followed by its
# output, in the order of the document, so the examples can be refreshed after a change to
# the model or the output formats: paste each block over the matching one in docs/cli.md.
#
#   docs/regen-cli-examples.sh            # all examples
#   docs/regen-cli-examples.sh > /tmp/cli-examples.txt
#
# The commands run in a fresh temporary directory holding the helper files the document
# uses (broken.yaml, virtio-strict.yaml); trace and report files are
# written there. `kvmsim` is the launcher at the repository root (it builds the jar first
# when the sources are newer).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

kvmsim() { "$root/kvmsim" "$@"; }

# Prints "$ CMD", then runs CMD with standard error merged into standard output.
show() {
  printf '$ %s\n' "$*"
  eval "$@" 2>&1
  last=$?
}
# Prints "$ echo $?" and the status of the previous show.
status() {
  printf '$ echo $?\n%s\n' "$last"
}
section() { printf '\n===== %s\n' "$*"; }

# A file with two load errors (docs/cli.md "Exit codes and errors").
cat > broken.yaml <<'EOF'
version: 1
name: broken
vm: {vcpus: 0}
eventfds:
  - name: kick0
host:
  - ioeventfd: {eventfd: kikc0, bus: mmio, addr: 0x1000, len: 4}
EOF

# The built-in virtio-net-notify with one expectation that cannot hold (line 40).
sed 's/^  - {vcpu: 0, vector: 0x22, delivered: 10000}$/  - {vcpu: 0, vector: 0x22, delivered: 10001}/' \
  "$root/scenarios/library/virtio-net-notify.yaml" > virtio-strict.yaml
grep -q 'delivered: 10001' virtio-strict.yaml || { echo "regen: virtio-strict.yaml: line 40 not found" >&2; exit 2; }

section "Exit codes and errors"
show cat broken.yaml
show kvmsim validate broken.yaml; status

section "run"
show kvmsim run virtio-net-notify

section "ftrace"
show kvmsim run virtio-net-notify --until 30us --trace ftrace --trace-out trace.txt
show head -12 trace.txt

section "jsonl"
show "kvmsim run virtio-net-notify --until 30us --trace jsonl --trace-out trace.jsonl > /dev/null"
show head -2 trace.jsonl

section "stat"
show kvmsim stat pci-testdev-costs
show kvmsim stat pci-testdev-costs --event ioport

section "explain"
show kvmsim explain virtio-net-notify

section "explain --diagram mermaid"
show kvmsim explain virtio-net-notify --diagram mermaid

section "check and JUnit XML"
show kvmsim check virtio-net-notify virtio-strict.yaml --junit junit.xml; status
show "grep -o '<testcase [^>]*><failure.*</testcase>' junit.xml"
