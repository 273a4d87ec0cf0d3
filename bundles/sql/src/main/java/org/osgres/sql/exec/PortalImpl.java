package org.osgres.sql.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.osgres.api.sql.ColumnDescriptor;
import org.osgres.api.sql.ExecutionResult;
import org.osgres.api.sql.Portal;
import org.osgres.api.sql.RowSink;
import org.osgres.api.sql.SessionContext;
import org.osgres.sql.types.BinaryIO;
import org.osgres.sql.types.PgType;
import org.osgres.sql.types.TypeIO;

/*
 * PortalImpl: a bound statement being executed (PostgreSQL: tcop/pquery.c PortalRun and
 * PortalRunSelect, with printtup.c encoding each value in its column's format).
 *
 * The first execute() runs the plan; rows go to the sink at most maxRows at a time, and a
 * portal stopped early reports a suspension and continues on the next call. The command tag
 * of a SELECT counts the rows sent by the final call, as PortalRunSelect does.
 *
 * Entry points: columns(), execute(), close().
 */
public final class PortalImpl implements Portal {
    private final Plan plan;
    private final List<ColumnDescriptor> columns;
    private final Object[] params;
    private final EngineServices services;
    private Plan.Output output;
    private int next;
    private boolean closed;

    PortalImpl(Plan plan, List<ColumnDescriptor> columns, Object[] params, SessionContext session,
            EngineServices services) {
        this.services = services;
        this.plan = plan;
        this.columns = columns;
        this.params = params;
    }

    @Override
    public List<ColumnDescriptor> columns() {
        return columns;
    }

    @Override
    public ExecutionResult execute(long maxRows, RowSink sink, SessionContext session) throws IOException {
        EvalContext ctx = new EvalContext(session, params, services);
        if (output == null) {
            output = plan.run(ctx);
        }
        List<Object[]> rows = output.rows();
        long sent = 0;
        while (next < rows.size()) {
            if (maxRows > 0 && sent >= maxRows) {
                return ExecutionResult.suspension();
            }
            if (session != null) {
                session.interrupts().check();
            }
            sink.row(encode(rows.get(next), ctx));
            next++;
            sent++;
        }
        return ExecutionResult.completed(output.countRows() ? output.tag() + " " + sent : output.tag());
    }

    private byte[][] encode(Object[] row, EvalContext ctx) {
        byte[][] out = new byte[row.length][];
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null) {
                continue;
            }
            ColumnDescriptor c = columns.get(i);
            PgType type = PgType.byOid(c.typeOid());
            out[i] = c.format() == 1 ? BinaryIO.send(type, row[i])
                    : TypeIO.output(type, row[i], ctx.zone()).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        output = null;
    }

    boolean isClosed() {
        return closed;
    }
}
