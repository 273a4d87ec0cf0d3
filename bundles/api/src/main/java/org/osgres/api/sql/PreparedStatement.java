package org.osgres.api.sql;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** An analyzed statement: what Describe (statement) reports, and what Bind makes portals from. */
@ProviderType
public interface PreparedStatement {

    /** The source statement. */
    ParsedStatement statement();

    /** The type OID of each parameter $1..$n, after inference (ParameterDescription). */
    int[] parameterTypes();

    /** The result columns with format 0 (RowDescription); empty when the statement returns no rows (NoData). */
    List<ColumnDescriptor> resultColumns();

    /**
     * Binds parameter values (PostgreSQL: exec_bind_message).
     *
     * @param values        one entry per parameter, in wire format; null for SQL NULL
     * @param paramFormats  PostgreSQL's rule: empty means all text, one entry applies to all,
     *                      else one per parameter (0 text, 1 binary)
     * @param resultFormats the same rule for the result columns
     * @throws org.osgres.api.error.PgException 22P02 and friends for values that do not parse,
     *         08P01 for a count that does not match
     */
    Portal bind(List<byte[]> values, short[] paramFormats, short[] resultFormats, SessionContext session);
}
