package org.osgres.api.sql;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A relation whose rows a subsystem computes on demand (PostgreSQL: the system views and
 * set-returning functions behind pg_stat_activity, pg_settings, pg_roles, pg_hba_file_rules...).
 * A bundle registers one as a service; the SQL engine finds it by {@link #name()} in the
 * pg_catalog schema and reads it like a table.
 *
 * <p>Values in a row are Java objects by column type: bool Boolean, int2 Short, int4 and oid
 * Integer, int8 Long, float8 Double, numeric BigDecimal, text/name/varchar String,
 * timestamptz java.time.OffsetDateTime, inet String (the address text), text[] String[],
 * and null for SQL NULL.
 */
@ConsumerType
public interface SystemView {

    /** The view's name, lower case, as queried: "pg_stat_activity". */
    String name();

    /** The columns, in order. */
    List<ViewColumn> columns();

    /**
     * The rows as the session sees them now; each array has one value per column. Called once
     * per scan.
     *
     * @throws org.osgres.api.error.PgException 42501 when the session may not read it
     */
    List<Object[]> rows(SessionContext session);

    /** A column: its name and its type's OID (PostgreSQL's pg_type OIDs, e.g. 25 text, 23 int4). */
    record ViewColumn(String name, int typeOid) {
    }
}
