package org.osgres.sql.exec;

import java.util.List;

import org.osgres.sql.types.PgType;

/**
 * An analyzed statement ready to run (PostgreSQL: a PlannedStmt or a utility statement). It
 * describes its result columns and, when run, produces all its rows and its command tag.
 */
public interface Plan {

    /** A result column before formats are bound. */
    record Column(String name, PgType type, int typmod) {
    }

    /** What one run produced; tagPrefix "SELECT" gets the row count appended. */
    record Output(List<Object[]> rows, String tag, boolean countRows) {
    }

    List<Column> columns();

    Output run(EvalContext ctx);
}
