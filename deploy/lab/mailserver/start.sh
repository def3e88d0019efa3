#!/usr/bin/env bash
set -e
postfix start
exec dovecot -F
