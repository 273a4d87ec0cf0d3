package org.osgres.api.sql;

import java.io.IOException;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** A bound statement ready to run, possibly in several Execute steps (PostgreSQL: a Portal). */
@ProviderType
public interface Portal {

    /** The result columns with their bound formats; empty when the statement returns no rows. */
    List<ColumnDescriptor> columns();

    /**
     * Runs the statement, or continues it, sending at most maxRows rows to the sink.
     *
     * @param maxRows 0 for no limit
     * @return the command tag, or a suspension when the row limit was reached first
     */
    ExecutionResult execute(long maxRows, RowSink sink, SessionContext session) throws IOException;

    /** Frees what the portal holds. Idempotent. */
    void close();
}
