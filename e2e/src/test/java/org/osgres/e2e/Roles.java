package org.osgres.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Adds roles to a stopped server's roles file (global/pg_authid, format 1 of osgres's RoleFile):
 * the tests that need a non-superuser or a CONNECTION LIMIT do not depend on CREATE ROLE. Against
 * PostgreSQL (-De2e.reference=true) the same roles are made with SQL by the test itself.
 */
final class Roles {
    private Roles() {
    }

    /** A login role; connectionLimit -1 for none. */
    static void add(Path dataDir, int oid, String name, boolean superuser, int connectionLimit) throws IOException {
        String b = superuser ? "t" : "f";
        String line = String.join("\t", "R", Integer.toString(oid), name, b, "t", b, b, "t", b, b,
                Integer.toString(connectionLimit), "\\N", "\\N") + "\n";
        Files.writeString(dataDir.resolve("global/pg_authid"), line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
