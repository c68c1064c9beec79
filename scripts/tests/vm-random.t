#!/bin/sh
# vm-random.t - 300 random move_pages scenarios in the default VM, each compared with the reference model (fixed seed: a failure replays with --seed 1 --scenario ID).
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../pmig" vm --out "$here/../../results/runs/check-vm-random" -- conform --random 300 --seed 1
