package org.osgres.backend;

import java.util.Locale;
import java.util.Map;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/**
 * Client encoding names (PostgreSQL: pg_char_to_encoding in common/encnames.c, reduced). osgres
 * stores and sends UTF-8; it accepts the encodings whose ASCII range is the same, so that clients
 * in a C locale (SQL_ASCII) and UTF-8 clients work unchanged.
 */
final class ClientEncodings {
    private static final Map<String, String> ALIASES = Map.of(
            "utf8", "UTF8",
            "unicode", "UTF8",
            "sqlascii", "SQL_ASCII",
            "latin1", "LATIN1",
            "iso88591", "LATIN1");

    private ClientEncodings() {
    }

    /** The canonical name, as PostgreSQL reports client_encoding. */
    static String canonical(String name) {
        String key = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String canonical = ALIASES.get(key);
        if (canonical == null) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                    "invalid value for parameter \"client_encoding\": \"" + name + "\"");
        }
        return canonical;
    }
}
