/*
 * CheckHooks: the check hooks of string settings that osgres validates and canonicalizes
 * (PostgreSQL: check_datestyle() in commands/variable.c, check_timezone(), check_client_encoding()).
 * Other string settings are taken as given.
 *
 * Entry points: check().
 */
package org.osgres.config.guc;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgres.api.error.PgException;

final class CheckHooks {
    private static final Map<String, String> ZONES = new HashMap<>();
    private static final List<String> ENCODINGS = List.of("SQL_ASCII", "EUC_JP", "EUC_CN", "EUC_KR", "EUC_TW",
            "EUC_JIS_2004", "UTF8", "MULE_INTERNAL", "LATIN1", "LATIN2", "LATIN3", "LATIN4", "LATIN5", "LATIN6",
            "LATIN7", "LATIN8", "LATIN9", "LATIN10", "WIN1256", "WIN1258", "WIN866", "WIN874", "KOI8R", "WIN1251",
            "WIN1252", "ISO_8859_5", "ISO_8859_6", "ISO_8859_7", "ISO_8859_8", "WIN1250", "WIN1253", "WIN1254",
            "WIN1255", "WIN1257", "KOI8U", "SJIS", "BIG5", "GBK", "UHC", "GB18030", "JOHAB", "SHIFT_JIS_2004");
    private static final Map<String, String> ENCODING_ALIASES = Map.of(
            "unicode", "UTF8", "utf8", "UTF8", "iso88591", "LATIN1", "iso885915", "LATIN9",
            "win", "WIN1251", "alt", "WIN866", "shiftjis", "SJIS", "mskanji", "SJIS", "tcvn", "WIN1258");

    static {
        for (String id : ZoneId.getAvailableZoneIds()) {
            ZONES.put(id.toLowerCase(Locale.ROOT), id);
        }
    }

    private CheckHooks() {
    }

    /**
     * The canonical form of value, or PgException 22023.
     *
     * @param current the setting's value before this change (DateStyle keeps the half not given)
     */
    static String check(GucEntry entry, String value, String current) {
        return switch (entry.name()) {
            case "datestyle" -> dateStyle(entry, value, current == null ? entry.definition().bootValue() : current);
            case "timezone", "log_timezone" -> timeZone(entry, value);
            case "client_encoding" -> clientEncoding(entry, value);
            default -> value;
        };
    }

    /** check_datestyle(): "[ISO|SQL|Postgres|German], [DMY|MDY|YMD]" from any spelling. */
    private static String dateStyle(GucEntry entry, String value, String current) {
        String[] cur = current.split(", ");
        String style = cur[0];
        String order = cur.length > 1 ? cur[1] : "MDY";
        boolean haveStyle = false;
        boolean haveOrder = false;
        boolean ok = true;
        if (value.trim().isEmpty() || value.trim().endsWith(",")) {
            throw GucValues.invalidValue(entry.displayName(), value).withDetail("List syntax is invalid.");
        }
        for (String raw : value.split(",")) {
            String tok = raw.trim().toLowerCase(Locale.ROOT);
            if (tok.length() >= 2 && tok.startsWith("\"") && tok.endsWith("\"")) {
                tok = tok.substring(1, tok.length() - 1);
            }
            String newStyle = null;
            String newOrder = null;
            switch (tok) {
                case "iso" -> newStyle = "ISO";
                case "sql" -> newStyle = "SQL";
                case "postgres" -> newStyle = "Postgres";
                case "german" -> {
                    newStyle = "German";
                    if (!haveOrder) {
                        order = "DMY";
                    }
                }
                case "ymd" -> newOrder = "YMD";
                case "dmy" -> newOrder = "DMY";
                case "mdy", "us" -> newOrder = "MDY";
                case "default" -> {
                    if (!haveStyle) {
                        style = "ISO";
                    }
                    if (!haveOrder) {
                        order = "MDY";
                    }
                }
                default -> {
                    if (tok.startsWith("euro")) {
                        newOrder = "DMY";
                    } else if (tok.startsWith("noneuro")) {
                        newOrder = "MDY";
                    } else {
                        throw GucValues.invalidValue(entry.displayName(), value)
                                .withDetail("Unrecognized key word: \"" + raw.trim() + "\".");
                    }
                }
            }
            if (newStyle != null) {
                ok &= !haveStyle || style.equals(newStyle);
                style = newStyle;
                haveStyle = true;
            }
            if (newOrder != null) {
                ok &= !haveOrder || order.equals(newOrder);
                order = newOrder;
                haveOrder = true;
            }
        }
        if (!ok) {
            throw GucValues.invalidValue(entry.displayName(), value)
                    .withDetail("Conflicting \"datestyle\" specifications.");
        }
        return style + ", " + order;
    }

    /** check_timezone(): a zone of the tz database, case-insensitively, in its canonical spelling. */
    private static String timeZone(GucEntry entry, String value) {
        String id = ZONES.get(value.trim().toLowerCase(Locale.ROOT));
        if (id == null) {
            throw GucValues.invalidValue(entry.displayName(), value);
        }
        return id;
    }

    /** check_client_encoding(): an encoding name or alias, as PostgreSQL's canonical name. */
    private static String clientEncoding(GucEntry entry, String value) {
        String clean = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String alias = ENCODING_ALIASES.get(clean);
        if (alias != null) {
            return alias;
        }
        for (String e : ENCODINGS) {
            if (e.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "").equals(clean)) {
                return e;
            }
        }
        throw GucValues.invalidValue(entry.displayName(), value);
    }
}
