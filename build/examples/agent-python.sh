#!/bin/sh
# SPDX-License-Identifier: MIT
# An AI agent runs untrusted Python: the project directory arrives as a
# writable copy without secrets (.ssh, .env*, *.pem...), the network is a
# loopback only, memory, tasks and time are capped, and what was enforced
# lands in report.json. Usage: agent-python.sh SCRIPT [ARGS...]
#   (run from the project directory; SCRIPT relative to it)
set -eu
NUCLEUS=${NUCLEUS:-nucleus}
script=$1
shift
exec "$NUCLEUS" --mode agent \
	--context "$PWD" --context-mode copy \
	--memory 512M --pids 256 --timeout 60 --kill-after 2 \
	--report fd:3 --stats fd:4 \
	-- python3 "/context/$script" "$@" 3>report.json 4>stats.json
