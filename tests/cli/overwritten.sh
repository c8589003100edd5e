#!/bin/bash
# overwritten.sh: random byte overwrites of the demo database never
# corrupt memory (issue 9, section 5): every read command exits 0 or 1
# with at most one line on stderr, never another status, a signal or a
# sanitizer report.  damaged.sh crafts one bad value at a time.
. "$(dirname "$0")/lib.sh"
sqlite_only "a SQLite file overwritten under a running command"

demo_db
DB=$TMP/overwritten.db

# 25 copies of the demo, each with 8 bytes overwritten at random
# offsets (seeded: the same runs every time).  A command may refuse the
# file (exit 1, one line) or answer (exit 0, nothing on stderr): never
# another status, a sanitizer report or a signal.
OVERWRITE='
import random, sys
src, dst, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = bytearray(open(src, "rb").read())
rng = random.Random(seed)
for _ in range(8):
    data[rng.randrange(len(data))] = rng.randrange(256)
open(dst, "wb").write(data)
'
bad=
for seed in $(seq 1 25); do
	"$PYTHON" -c "$OVERWRITE" "$HIGHWATER_DB" "$DB" "$seed" || {
		echo "Bail out! cannot write the overwritten copy"
		exit 1
	}
	rm -f "$DB-wal" "$DB-shm"
	for cmd in "${READ_COMMANDS[@]}"; do
		hw_read "$DB" "$cmd" sql-vm-01
		if { [ "$RC" = 0 ] && [ -s "$ERR_FILE" ]; } ||
			{ [ "$RC" = 1 ] && ! _err_is_one_line; } ||
			{ [ "$RC" != 0 ] && [ "$RC" != 1 ]; }; then
			bad+="seed $seed: $cmd: exit $RC: $(head -c 300 "$ERR_FILE")"$'\n'
		fi
	done
done
expect_eq "$bad" "" "25 random overwrites: every command exits 0 or 1 with at most one line"

done_testing
