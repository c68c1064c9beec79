#!/bin/sh
# conform.t - the conformance run on this machine, as prove sees it: its TAP is the test.
exec "$(dirname "$0")/../pmig" conform
