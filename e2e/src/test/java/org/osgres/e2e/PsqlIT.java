package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** psql as a process, over TCP and the Unix socket; outputs compared with PostgreSQL 15's. */
class PsqlIT extends WithServer {
    static final String PSQL = "/usr/bin/psql";

    static Cmd.Result psql(String host, List<String> args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(PSQL, "-X", "-v", "ON_ERROR_STOP=1", "-h", host,
                "-p", Integer.toString(server.port()), "-U", server.user(), "-d", "postgres"));
        argv.addAll(args);
        return Cmd.run(argv, Duration.ofSeconds(60));
    }

    static List<String> rendered(Cmd.Result r) {
        List<String> out = new ArrayList<>();
        out.add("exit " + r.exit());
        r.stdoutLines().forEach(l -> out.add("stdout " + l));
        r.stderrLines().forEach(l -> out.add("stderr " + l));
        return out;
    }

    @TestFactory
    Stream<DynamicTest> sameOutputAsPostgres15() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Golden g : Golden.all("psql")) {
            for (String host : List.of("127.0.0.1", "unix")) {
                tests.add(DynamicTest.dynamicTest(g.name() + " via " + host, () -> {
                    Cmd.Result r = psql(host.equals("unix") ? server.socketDir().toString() : host, g.steps());
                    assertEquals(String.join("\n", g.expected()), String.join("\n", rendered(r)), r.toString());
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void selectOne() throws Exception {
        Cmd.Result r = psql("127.0.0.1", List.of("-c", "select 1"));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of(" ?column? ", "----------", "        1", "(1 row)", ""), r.stdoutLines(), r.toString());
    }

    @Test
    void tuplesOnlyUnaligned() throws Exception {
        for (String host : List.of("127.0.0.1", server.socketDir().toString())) {
            Cmd.Result r = psql(host, List.of("-A", "-t", "-c", "select 1+2 as x, 'a'"));
            assertEquals(0, r.exit(), r.toString());
            assertEquals("3|a\n", r.stdout(), r.toString());
            assertEquals("", r.stderr(), r.toString());
        }
    }

    @Test
    void syntaxErrorExitsOne() throws Exception {
        Cmd.Result r = psql("127.0.0.1", List.of("-c", "selec 1"));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("ERROR:  syntax error at or near \"selec\""), r.toString());
    }

    @Test
    void scriptStopsAtFirstError() throws Exception {
        // psql -f with ON_ERROR_STOP: exit code 3, nothing after the error runs
        java.nio.file.Path script = server.root().resolve("script.sql");
        java.nio.file.Files.writeString(script, "select 'before';\nselec 1;\nselect 'after';\n");
        Cmd.Result r = psql("127.0.0.1", List.of("-A", "-t", "-f", script.toString()));
        assertEquals(3, r.exit(), r.toString());
        assertEquals("before\n", r.stdout(), r.toString());
        assertTrue(r.stderr().contains("ERROR:  syntax error at or near \"selec\""), r.toString());
    }
}
