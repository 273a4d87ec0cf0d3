package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pgbench as a process with a custom script that needs no tables: 4 clients, 200 transactions each. */
class PgbenchIT extends WithServer {
    static final String SCRIPT = """
            \\set a random(1, 1000)
            SELECT :a::int + 1;
            SELECT 1;
            """;

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended", "prepared"})
    void customScript(String mode) throws Exception {
        Path script = server.root().resolve("bench-" + mode + ".sql");
        Files.writeString(script, SCRIPT);
        Cmd.Result r = Cmd.run(List.of("/usr/bin/pgbench", "-n", "-f", script.toString(), "-M", mode,
                "-c", "4", "-j", "2", "-t", "200",
                "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-U", server.user(), "postgres"),
                Duration.ofSeconds(300));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("query mode: " + mode), r.toString());
        assertTrue(r.stdout().contains("number of transactions actually processed: 800/800"), r.toString());
        assertTrue(r.stdout().contains("number of failed transactions: 0 (0.000%)"), r.toString());
    }
}
