package org.osgres.config.views;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.osgres.api.config.GucType;
import org.osgres.api.config.SettingDefinition;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.SystemView;

/*
 * PgSettingsView: the pg_settings system view (PostgreSQL: utils/misc/guc.c show_all_settings()
 * and GetConfigOptionByNum(), behind catalog/system_views.sql's pg_settings).
 *
 * One row per setting, in name order, as the querying session sees it: setting is the
 * session's value in internal form (the base unit, without the unit), unit the base unit, and
 * source "session" when the session's value differs from the server's, else the server's
 * source. reset_val is the server's value.
 *
 * Differences from PostgreSQL 15: extra_desc, sourcefile and sourceline are NULL (the setting
 * definitions do not carry them), pending_restart is always false, and a value the client sent
 * in the startup packet shows as "session", not "client".
 *
 * Entry points: name(), columns(), rows().
 */
@Component(service = SystemView.class)
public final class PgSettingsView implements SystemView {
    private static final int TEXT = 25;
    private static final int INT4 = 23;
    private static final int BOOL = 16;
    private static final int TEXT_ARRAY = 1009;

    private static final List<ViewColumn> COLUMNS = List.of(new ViewColumn("name", TEXT),
            new ViewColumn("setting", TEXT), new ViewColumn("unit", TEXT), new ViewColumn("category", TEXT),
            new ViewColumn("short_desc", TEXT), new ViewColumn("extra_desc", TEXT), new ViewColumn("context", TEXT),
            new ViewColumn("vartype", TEXT), new ViewColumn("source", TEXT), new ViewColumn("min_val", TEXT),
            new ViewColumn("max_val", TEXT), new ViewColumn("enumvals", TEXT_ARRAY),
            new ViewColumn("boot_val", TEXT), new ViewColumn("reset_val", TEXT), new ViewColumn("sourcefile", TEXT),
            new ViewColumn("sourceline", INT4), new ViewColumn("pending_restart", BOOL));

    @Override
    public String name() {
        return "pg_settings";
    }

    @Override
    public List<ViewColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object[]> rows(SessionContext session) {
        Settings settings = session.settings();
        List<SettingDefinition> defs = new ArrayList<>(settings.definitions());
        defs.sort(Comparator.comparing(d -> d.name().toLowerCase(Locale.ROOT)));
        List<Object[]> rows = new ArrayList<>(defs.size());
        for (SettingDefinition d : defs) {
            String value;
            try {
                value = session.getSetting(d.name());
            } catch (PgException e) {
                continue;
            }
            String serverValue = settings.get(d.name());
            String source = value.equals(serverValue) ? settings.source(d.name()) : "session";
            rows.add(new Object[] {
                settings.displayName(d.name()),
                value,
                d.unit() == null || d.unit().isEmpty() ? null : d.unit(),
                d.category(),
                d.shortDesc(),
                null,
                d.context().label(),
                d.type().label(),
                source,
                d.minValue(),
                d.maxValue(),
                d.type() == GucType.ENUM ? d.enumValues().toArray(new String[0]) : null,
                d.bootValue(),
                serverValue,
                null,
                null,
                false,
            });
        }
        return rows;
    }
}
