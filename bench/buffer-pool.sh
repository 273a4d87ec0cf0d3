#!/usr/bin/env bash
# Buffer pool throughput (pin, content lock, unlock, unpin), hits and misses, 1/2/8 threads.
# No PostgreSQL side yet: nothing to compare with until tables exist (pgbench then).
#   bench/buffer-pool.sh [SHARED_BUFFERS_PAGES] [SECONDS]     (builds the bundles if needed)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for j in /usr/lib/jvm/temurin-25-jdk-amd64 ${JAVA_HOME:-}; do [ -x "$j/bin/java" ] && JAVA_HOME=$j; done
export JAVA_HOME
jars=(bundles/api/target/org.osgres.api-*.jar bundles/shmem/target/org.osgres.shmem-*.jar bundles/buffer-manager/target/org.osgres.buffer-*.jar)
if ! ls "${jars[@]}" >/dev/null 2>&1; then
  mvn -q -B -o package -DskipTests -pl bundles/buffer-manager,bundles/shmem -am
  jars=(bundles/api/target/org.osgres.api-*.jar bundles/shmem/target/org.osgres.shmem-*.jar bundles/buffer-manager/target/org.osgres.buffer-*.jar)
fi
m2=${HOME}/.m2/repository
cp=$(IFS=:; echo "${jars[*]}"):$m2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar:$m2/org/osgi/osgi.annotation/8.1.0/osgi.annotation-8.1.0.jar:$m2/org/osgi/org.osgi.service.component.annotations/1.5.1/org.osgi.service.component.annotations-1.5.1.jar
exec "$JAVA_HOME/bin/java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" bench/java/BufferPoolBench.java "$@"
