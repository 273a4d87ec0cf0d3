package org.osgres.api.sql;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/** Where a portal sends its rows: the backend writes each as a DataRow. */
@ConsumerType
public interface RowSink {

    /** One row, each column already encoded in its bound format; null for SQL NULL. */
    void row(byte[][] columns) throws IOException;
}
