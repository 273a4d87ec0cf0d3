package org.osgres.sql.exec;

import java.util.List;

import org.osgres.sql.types.PgType;

/**
 * An analyzed statement ready to run (PostgreSQL: a PlannedStmt or a utility statement). It
 * describes its result columns and, when run, produces all its rows and its command tag.
 */
public interface Plan {

    /**
     * A result column before formats are bound; tableOid and attnum name the table column it
     * shows unchanged (RowDescription's table OID and attribute number), else 0.
     */
    record Column(String name, PgType type, int typmod, int tableOid, int attnum) {
        public Column(String name, PgType type, int typmod) {
            this(name, type, typmod, 0, 0);
        }
    }

    /** What one run produced; tagPrefix "SELECT" gets the row count appended. */
    record Output(List<Object[]> rows, String tag, boolean countRows) {
    }

    List<Column> columns();

    Output run(EvalContext ctx);
}
