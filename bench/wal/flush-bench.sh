#!/bin/sh
# WAL commit throughput: insert + flush (fdatasync) per commit, 1..64 committer threads, on the
# disk holding DIR (default: the repository's target directory). Shows group commit at work:
# commits per fsync grows with the committers.  Usage: bench/wal/flush-bench.sh [DIR] [SECONDS]
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:-$root/bundles/wal/target}"
secs="${2:-3}"
cd "$root"
mvn -q -B -o test-compile -pl bundles/wal -am >/dev/null
m2="${HOME}/.m2/repository"
cp="bundles/wal/target/test-classes:bundles/wal/target/classes:bundles/api/target/classes:bundles/shmem/target/classes"
cp="$cp:bundles/buffer-manager/target/classes:test-support/target/classes"
cp="$cp:$(ls "$m2"/org/slf4j/slf4j-api/2.*/slf4j-api-2.*.jar | tail -1):$(ls "$m2"/org/slf4j/slf4j-nop/2.*/slf4j-nop-2.*.jar 2>/dev/null | tail -1)"
mkdir -p "$dir"
"${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -cp "$cp" org.osgres.wal.WalFlushBench "$dir" "$secs"
