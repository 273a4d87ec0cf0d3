#!/usr/bin/env bash
# Runs the end-to-end tests against PostgreSQL 15 itself instead of osgres
# (-De2e.reference=true: initdb/postgres/pg_ctl from /usr/lib/postgresql/15/bin,
# run as user pgref). This checks the tests, not the server: all must pass.
# Needs root and a user pgref. Extra arguments go to mvn, e.g. -Dit.test=JdbcIT.
set -euo pipefail
E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
id pgref >/dev/null 2>&1 || useradd -m pgref
W=$(mktemp -d /tmp/osgres-e2e-ref-XXXXXX)
trap 'rm -rf "$W"' EXIT
# the e2e tests and the shared test helpers they use (test-support, without TestSettings,
# which needs the osgres api)
mkdir -p "$W/src/test/java/org/osgres/testing"
ln -s "$E2E/src/test/java/org/osgres/e2e" "$W/src/test/java/org/osgres/e2e"
ln -s "$E2E/src/test/resources" "$W/src/test/resources"
for f in "$E2E"/../test-support/src/main/java/org/osgres/testing/*.java; do
  [ "$(basename "$f")" = TestSettings.java ] || ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$W/src/test/java/org/osgres/testing/"
done
# the e2e pom without the reactor (the distribution dependency and the parent)
cat > "$W/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.osgres</groupId><artifactId>osgres-e2e-reference</artifactId><version>0</version>
  <properties><maven.compiler.release>21</maven.compiler.release><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.junit</groupId><artifactId>junit-bom</artifactId><version>5.14.4</version><type>pom</type><scope>import</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>42.7.5</version><scope>test</scope></dependency>
    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><scope>test</scope></dependency>
    <dependency><groupId>com.unboundid</groupId><artifactId>unboundid-ldapsdk</artifactId><version>7.0.3</version><scope>test</scope></dependency>
  </dependencies>
  <build><plugins>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version><configuration><skip>true</skip></configuration></plugin>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-failsafe-plugin</artifactId><version>3.5.4</version>
      <configuration><systemPropertyVariables><e2e.reference>true</e2e.reference></systemPropertyVariables></configuration>
      <executions><execution><goals><goal>integration-test</goal><goal>verify</goal></goals></execution></executions>
    </plugin>
  </plugins></build>
</project>
POM
cd "$W" && mvn -B verify "$@"
