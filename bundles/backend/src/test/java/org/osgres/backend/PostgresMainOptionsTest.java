package org.osgres.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgres.api.error.PgException;

class PostgresMainOptionsTest {
    @Test
    void readsDashCAndDoubleDashForms() {
        List<String[]> o = PostgresMain.parseOptions("-c search_path=a -cwork_mem=8MB --statement-timeout=5s");
        assertEquals(3, o.size());
        assertArrayEquals(new String[] {"search_path", "a"}, o.get(0));
        assertArrayEquals(new String[] {"work_mem", "8MB"}, o.get(1));
        assertArrayEquals(new String[] {"statement_timeout", "5s"}, o.get(2));
    }

    @Test
    void backslashEscapesSpaces() {
        List<String[]> o = PostgresMain.parseOptions("-c application_name=my\\ app");
        assertArrayEquals(new String[] {"application_name", "my app"}, o.get(0));
    }

    @Test
    void rejectsStrayWords() {
        assertThrows(PgException.class, () -> PostgresMain.parseOptions("oops"));
        assertThrows(PgException.class, () -> PostgresMain.parseOptions("-c novalue"));
    }
}
