#!/usr/bin/env bash
# Plein's mail benchmark: 100,000 confirmed subscribers of one organisation,
# one post published, timed to the last message accepted by an SMTP sink on
# loopback; messages per second, CPU per message and peak memory of the
# sending process, on SQLite and on PostgreSQL (at 127.0.0.1:5432 unless
# -postgres says otherwise). Takes several minutes.
#
#   bench/mail.sh                                  both engines, default DKIM keys
#   bench/mail.sh -engines sqlite -subscribers 10000
#   bench/mail.sh -dkim both,rsa,ed25519           the cost of each signature
#   bench/mail.sh -vs /path/to/older/plein -runs 3 ratios against a baseline build
#   bench/mail.sh -in-process -cpuprofile cpu.out  profile the sending
#
# Every flag: go run ./bench/mail -h
cd "$(dirname "$0")/.." && exec go run ./bench/mail "$@"
