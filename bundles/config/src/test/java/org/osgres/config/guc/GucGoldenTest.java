package org.osgres.config.guc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.osgres.api.error.PgException;

/**
 * Checks parse() and display() against PostgreSQL 15's own answers, recorded by
 * tools/gen-guc-golden.sh into set-golden.tsv, alter-golden.tsv and show-golden.tsv.
 */
class GucGoldenTest {
    /** Settings whose show hooks depend on the connection (a Unix socket shows 0). */
    private static final Set<String> CONNECTION_DEPENDENT =
            Set.of("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count", "tcp_user_timeout");

    private final GucTable table = GucTable.standard();

    static List<String[]> golden(String file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                GucGoldenTest.class.getResourceAsStream("/org/osgres/config/" + file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isEmpty()) {
                    rows.add(line.split("\t", -1));
                }
            }
        }
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> setAndShowAsPostgres() throws IOException {
        List<String[]> rows = new ArrayList<>(golden("set-golden.tsv"));
        rows.addAll(golden("alter-golden.tsv"));
        Map<String, String> current = new HashMap<>();
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] r : rows) {
            String name = r[0];
            String value = r[1];
            boolean ok = r[2].equals("ok");
            if (!ok && r[3].equals("55P02") || CONNECTION_DEPENDENT.contains(name)
                    || table.find(name).isEmpty()) {
                continue; // context checks, connection-dependent and unknown names: SettingsServiceTest
            }
            GucEntry e = table.find(name).orElseThrow();
            String before = current.get(e.name());
            if (ok) {
                current.put(e.name(), r[3]);
            }
            tests.add(DynamicTest.dynamicTest(name + " = '" + value + "'", () -> {
                if (ok) {
                    String internal = GucValues.parse(e, value, before);
                    assertEquals(r[3], internal, "internal form");
                    assertEquals(r[4], GucValues.display(e, internal), "SHOW");
                } else {
                    try {
                        String got = GucValues.parse(e, value, before);
                        fail("accepted as " + got + ", PostgreSQL says " + r[4]);
                    } catch (PgException x) {
                        assertEquals(r[3], x.sqlState().code());
                        assertEquals(r[4], x.getMessage());
                        assertEquals(r[5], x.detail() == null ? "" : x.detail(), "DETAIL");
                        assertEquals(r[6], x.hint() == null ? "" : x.hint(), "HINT");
                    }
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void everySettingDisplaysAsShow() throws IOException {
        int checked = 0;
        for (String[] r : golden("show-golden.tsv")) {
            GucEntry e = table.find(r[0]).orElseThrow(() -> new AssertionError("missing " + r[0]));
            if (CONNECTION_DEPENDENT.contains(e.name())) {
                continue;
            }
            String internal = r[1];
            if (Set.of("log_file_mode", "data_directory_mode", "unix_socket_permissions").contains(e.name())) {
                internal = Integer.toString(Integer.parseInt(internal, 8));
            }
            assertEquals(r[2], GucValues.display(e, internal), e.name());
            checked++;
        }
        assertTrue(checked > 340);
    }

    @Test
    void tableHasPostgresReportedSet() {
        List<String> reported = table.entries().stream().filter(e -> e.definition().reported())
                .map(GucEntry::displayName).sorted().toList();
        assertEquals(List.of("DateStyle", "IntervalStyle", "TimeZone", "application_name", "client_encoding",
                "default_transaction_read_only", "in_hot_standby", "integer_datetimes", "is_superuser",
                "server_encoding", "server_version", "session_authorization", "standard_conforming_strings"),
                reported);
        assertEquals("15.18 (osgres 0.1.0)", table.find("SERVER_VERSION").orElseThrow().definition().bootValue());
    }
}
