#!/usr/bin/env bash
# JMH microbenchmarks of the bridge's per-packet path: SRTP per profile, copy + RTP rewrite,
# retransmission buffer. Builds what is missing, then runs JMH; arguments go to JMH
# (default: 1 fork, 3 warm-up and 5 measured iterations of 1 s each; e.g. bench/jmh.sh Srtp).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f bench/target/classes/META-INF/BenchmarkList ] || [ ! -d bench/target/lib ]; then
  mvn -B -q -pl bench -am -DskipTests install
fi
if [ $# -eq 0 ]; then
  set -- -f 1 -wi 3 -w 1 -i 5 -r 1
fi
exec java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main "$@"
