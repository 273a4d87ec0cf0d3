package org.osgres.sql.copy;

import java.util.Locale;
import java.util.Map;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/*
 * CopyOptions: COPY's options, checked as PostgreSQL's ProcessCopyOptions checks them
 * (commands/copy.c): the text format with its delimiter (tab), null string (\N) and header,
 * and FREEZE. CSV and binary are recognised and refused as not supported yet.
 *
 * Entry points: of().
 * See also: parser.CopyParser -- where the map comes from; CopyFromText, CopyToText.
 */
public record CopyOptions(byte delimiter, String nullString, boolean header, boolean freeze) {

    /** The options of a COPY statement (option name to String, Boolean.TRUE, "*" or a List). */
    public static CopyOptions of(Map<String, Object> options, boolean from) {
        String format = "text";
        String delimiter = null;
        String nullString = null;
        boolean header = false;
        boolean freeze = false;
        for (Map.Entry<String, Object> o : options.entrySet()) {
            Object v = o.getValue();
            switch (o.getKey()) {
                case "format" -> {
                    format = string(o.getKey(), v).toLowerCase(Locale.ROOT);
                    if (!format.equals("text") && !format.equals("csv") && !format.equals("binary")) {
                        throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "COPY format \"" + format + "\" not recognized");
                    }
                }
                case "freeze" -> freeze = bool(o.getKey(), v);
                case "delimiter" -> delimiter = string(o.getKey(), v);
                case "null" -> nullString = string(o.getKey(), v);
                case "header" -> header = bool(o.getKey(), v);
                case "encoding" -> {
                    String e = string(o.getKey(), v).toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
                    if (!e.equals("UTF8") && !e.equals("UNICODE") && !e.equals("SQLASCII")) {
                        throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                                "COPY encoding \"" + v + "\" is not supported by osgres yet");
                    }
                }
                case "quote", "escape", "force_quote", "force_not_null", "force_null" -> throw new PgException(
                        SqlState.FEATURE_NOT_SUPPORTED, "COPY " + o.getKey() + " available only in CSV mode");
                default -> throw new PgException(SqlState.SYNTAX_ERROR, "option \"" + o.getKey() + "\" not recognized");
            }
        }
        if (!format.equals("text")) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    "COPY format \"" + format + "\" is not supported by osgres yet");
        }
        if (delimiter == null) {
            delimiter = "\t";
        }
        if (delimiter.length() != 1 || delimiter.charAt(0) > 0x7f) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY delimiter must be a single one-byte character");
        }
        char d = delimiter.charAt(0);
        if (d == '\n' || d == '\r') {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                    "COPY delimiter cannot be newline or carriage return");
        }
        if (nullString == null) {
            nullString = "\\N";
        }
        if (nullString.indexOf('\n') >= 0 || nullString.indexOf('\r') >= 0) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                    "COPY null representation cannot use newline or carriage return");
        }
        if ("\\.abcdefghijklmnopqrstuvwxyz0123456789".indexOf(d) >= 0) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                    "COPY delimiter cannot be \"" + d + "\"");
        }
        if (nullString.indexOf(d) >= 0) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                    "COPY delimiter must not appear in the NULL specification");
        }
        if (freeze && !from) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY FREEZE cannot be used with COPY TO");
        }
        return new CopyOptions((byte) d, nullString, header, freeze);
    }

    private static String string(String name, Object v) {
        if (v instanceof String s && !s.equals("*")) {
            return s;
        }
        throw new PgException(SqlState.SYNTAX_ERROR, name + " requires a string value");
    }

    /** defGetBoolean. */
    private static boolean bool(String name, Object v) {
        if (v == Boolean.TRUE) {
            return true;
        }
        if (v instanceof String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "on", "1" -> {
                    return true;
                }
                case "false", "off", "0" -> {
                    return false;
                }
                default -> { }
            }
        }
        throw new PgException(SqlState.SYNTAX_ERROR, name + " requires a Boolean value");
    }
}
