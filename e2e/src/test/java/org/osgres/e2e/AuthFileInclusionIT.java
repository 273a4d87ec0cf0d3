package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's src/test/authentication/t/004_file_inclusion.pl as far as PostgreSQL 15 goes:
 * @file in the database and user fields of pg_hba.conf (nested, relative to the including file)
 * and in pg_ident.conf. PostgreSQL 15 has no include directives; those are PostgreSQL 16's.
 */
class AuthFileInclusionIT extends WithServer {

    @Test
    void atFiles() throws Exception {
        AuthHelper.sql(server, "CREATE ROLE listed_a LOGIN PASSWORD 'pw'", "CREATE ROLE listed_b LOGIN PASSWORD 'pw'",
                "CREATE ROLE unlisted LOGIN PASSWORD 'pw'");
        AuthHelper.file(server, "users.list", "listed_a\n@more-users.list\n");
        AuthHelper.file(server, "more-users.list", "listed_b # a comment\n");
        AuthHelper.file(server, "dbs.list", "postgres,otherdb\n");
        AuthHelper.hba(server, "host @dbs.list @users.list 127.0.0.1/32 trust",
                "host all all 127.0.0.1/32 scram-sha-256");
        assertEquals("ok", AuthHelper.jdbc(server, "listed_a", "wrong", "127.0.0.1"));
        assertEquals("ok", AuthHelper.jdbc(server, "listed_b", "wrong", "127.0.0.1"));
        assertEquals("28P01 FATAL: password authentication failed for user \"unlisted\"",
                AuthHelper.jdbc(server, "unlisted", "wrong", "127.0.0.1"));
        assertEquals("ok", AuthHelper.jdbc(server, "unlisted", "pw", "127.0.0.1"));
    }

    /** A bad @file keeps the rules in force: the reload is refused and logged with the line. */
    @Test
    void missingAtFileKeepsOldRules() throws Exception {
        AuthHelper.hba(server, "host all all 127.0.0.1/32 trust");
        java.nio.file.Files.writeString(server.dataDir().resolve("pg_hba.conf"),
                "host all @missing.list 127.0.0.1/32 reject\n");
        Cmd.run(java.util.List.of("kill", "-HUP", Long.toString(server.pid())), java.time.Duration.ofSeconds(10));
        boolean logged = Wait.until(java.time.Duration.ofSeconds(30),
                () -> server.logText().contains("pg_hba.conf was not reloaded"));
        assertEquals(true, logged, server.logText());
        String log = server.logText();
        assertEquals(true, log.contains("could not open secondary authentication file \"@missing.list\""), log);
        assertEquals("ok", AuthHelper.jdbc(server, server.user(), null, "127.0.0.1"));
    }
}
