package org.osgres.sql.exec;

import java.util.Locale;
import java.util.Map;

import org.osgres.api.config.SettingDefinition;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.sql.SessionContext;

/*
 * Guc: the SQL side of settings (PostgreSQL: utils/misc/guc.c GetConfigOptionByName,
 * set_config_option, ShowGUCConfigOption, and the SQL functions current_setting and
 * set_config). Values go through SessionContext (the session's SET layer) and Settings (parse
 * and display).
 *
 * Entry points: show(), set(), canonicalName().
 */
public final class Guc {
    /**
     * Names PostgreSQL spells in mixed case (pg_settings.name); Settings keeps lower-case
     * names only, so SHOW's column label comes from here.
     */
    private static final Map<String, String> MIXED_CASE = Map.of(
            "datestyle", "DateStyle",
            "intervalstyle", "IntervalStyle",
            "timezone", "TimeZone");

    private Guc() {
    }

    /** The name as pg_settings and SHOW's column label spell it. */
    public static String canonicalName(SessionContext session, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String mixed = MIXED_CASE.get(lower);
        if (mixed != null) {
            return mixed;
        }
        try {
            return session.settings().definition(lower).map(SettingDefinition::name).orElse(lower);
        } catch (RuntimeException e) {
            return lower;
        }
    }

    /** SHOW name / current_setting(name): the display form of the session's value. */
    public static String show(SessionContext session, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String internal = session.getSetting(lower);
        return session.settings().display(lower, internal);
    }

    /** current_setting(name, missing_ok). */
    public static String showOrNull(SessionContext session, String name, boolean missingOk) {
        try {
            return show(session, name);
        } catch (PgException e) {
            if (missingOk && e.sqlState() == SqlState.UNDEFINED_OBJECT) {
                return null;
            }
            throw e;
        }
    }

    /** SET name = value (or SET LOCAL): parse to internal form, then into the session. */
    public static void set(SessionContext session, String name, String value, boolean local) {
        String lower = name.toLowerCase(Locale.ROOT);
        String internal = session.settings().parse(lower, value);
        session.setSetting(lower, internal, local);
    }
}
