package org.osgres.catalog;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.function.Executable;
import org.osgres.api.error.PgException;

/** The texts record-catalog.sh recorded from PostgreSQL 15. */
final class Goldens {
    private Goldens() {
    }

    static List<String> lines(String name) {
        try (InputStream in = Goldens.class.getResourceAsStream(name)) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the code, expecting an error PostgreSQL gave (errors.txt, with SQLSTATE and DETAIL/HINT). */
    static PgException assertPgError(Executable code) {
        PgException e = assertThrows(PgException.class, code);
        assertGolden(e, "ERROR");
        return e;
    }

    static void assertGolden(PgException e, String severity) {
        List<String> golden = lines("errors.txt");
        String line = severity + ":  " + e.sqlState().code() + ": " + e.getMessage();
        int at = golden.indexOf(line);
        assertTrue(at >= 0, "not in errors.txt: " + line);
        if (e.detail() != null) {
            assertTrue(golden.get(at + 1).equals("DETAIL:  " + e.detail()), "detail of " + line + ": " + e.detail());
        }
        if (e.hint() != null) {
            assertTrue(golden.subList(at + 1, Math.min(golden.size(), at + 3)).contains("HINT:  " + e.hint()),
                    "hint of " + line + ": " + e.hint());
        }
    }

    /** A NOTICE PostgreSQL sent (errors.txt). */
    static void assertNotice(String sqlState, String message) {
        String line = "NOTICE:  " + sqlState + ": " + message;
        assertTrue(lines("errors.txt").contains(line), "not in errors.txt: " + line);
    }
}
