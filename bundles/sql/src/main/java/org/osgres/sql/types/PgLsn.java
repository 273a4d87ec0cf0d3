package org.osgres.sql.types;

import java.util.regex.Pattern;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/*
 * PgLsn: the pg_lsn type's text form (PostgreSQL: utils/adt/pg_lsn.c pg_lsn_in_internal and
 * pg_lsn_out): two hexadecimal halves of the 64-bit WAL position, "%X/%X" ("0/16B3748").
 *
 * Entry points: in(), out().
 */
public final class PgLsn {
    /** MAXPG_LSNCOMPONENT: at most 8 hex digits each side. */
    private static final Pattern TEXT = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

    private PgLsn() {
    }

    /** pg_lsn_in. */
    public static long in(String s) {
        if (!TEXT.matcher(s).matches()) {
            throw new PgException(SqlState.INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type pg_lsn: \"" + s + "\"");
        }
        int slash = s.indexOf('/');
        return (Long.parseLong(s.substring(0, slash), 16) << 32) | Long.parseLong(s.substring(slash + 1), 16);
    }

    /** pg_lsn_out. */
    public static String out(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xffffffffL).toUpperCase();
    }
}
