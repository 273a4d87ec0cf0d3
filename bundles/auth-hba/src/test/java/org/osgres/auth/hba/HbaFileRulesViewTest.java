package org.osgres.auth.hba;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgres.auth.hba.views.HbaFileRulesView;

/** pg_hba_file_rules of a fixture against PostgreSQL 15's (tools/record-hba-rules-golden.sh). */
class HbaFileRulesViewTest {

    private static String resource(String name) throws Exception {
        try (InputStream in = HbaFileRulesViewTest.class.getResourceAsStream("/org/osgres/auth/hba/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A text[] as PostgreSQL prints it: {a,b}, elements quoted when they need it. */
    private static String array(String[] a) {
        List<String> out = new ArrayList<>();
        for (String s : a) {
            boolean quote = s.isEmpty() || s.matches(".*[{},\"\\\\\\s].*") || s.equalsIgnoreCase("NULL");
            out.add(quote ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : s);
        }
        return "{" + String.join(",", out) + "}";
    }

    @Test
    void sameRowsAsPostgres() throws Exception {
        HbaParser.Result r = HbaParser.parse(resource("hba-rules.conf"), Path.of("pg_hba.conf"), Set.of()::contains);
        List<String> got = new ArrayList<>();
        for (Object[] row : HbaFileRulesView.rows(r, false)) {
            List<String> cells = new ArrayList<>();
            for (Object v : row) {
                cells.add(v == null ? "\\N" : v instanceof String[] a ? array(a) : v.toString());
            }
            got.add(String.join("\t", cells));
        }
        assertEquals(resource("hba-rules.golden").strip(), String.join("\n", got));
    }
}
