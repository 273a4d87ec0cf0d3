package org.osgres.sql.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.osgres.api.sql.ColumnDescriptor;
import org.osgres.api.sql.ExecutionResult;
import org.osgres.api.sql.Portal;
import org.osgres.api.sql.RowSink;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.xact.Transaction;
import org.osgres.sql.types.BinaryIO;
import org.osgres.sql.types.PgType;
import org.osgres.sql.types.TypeIO;

/*
 * PortalImpl: a bound statement being executed (PostgreSQL: tcop/pquery.c PortalRun and
 * PortalRunSelect, with printtup.c encoding each value in its column's format).
 *
 * A SELECT streams: the first execute() opens its plan and rows go to the sink at most maxRows
 * at a time; a portal stopped early reports a suspension and continues on the next call, its
 * scans (and their buffer pins) held open until the end, close(), an error, or the end of the
 * transaction (Transaction.onEnd). Other statements run to completion on the first call. The command tag
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
    private EvalContext ctx;
    /** The running plan of a SELECT, null before the first execute and after its end. */
    private PlanNodes.PlanNode cursor;
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
        if (ctx == null) {
            ctx = new EvalContext(session, params, services);
        }
        if (output == null && cursor == null) {
            if (plan instanceof QueryPlan q) {
                startCursor(q, session);
            } else {
                output = plan.run(ctx);
            }
        }
        if (cursor != null) {
            return fetch(maxRows, sink);
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

    /** Opens the plan's scans; they stay open across Execute calls until the end, close() or the transaction's end. */
    private void startCursor(QueryPlan q, SessionContext session) {
        PlanNodes.PlanNode root = q.root();
        cursor = root;
        try {
            root.open(ctx);
        } catch (RuntimeException | Error e) {
            closeCursor();
            throw e;
        }
        Transaction tx = session == null ? null : session.transaction();
        if (tx != null) {
            tx.onEnd(committed -> closeCursor());
        }
    }

    /** PortalRunSelect: streams rows from the open plan; a suspended portal keeps its scans open. */
    private ExecutionResult fetch(long maxRows, RowSink sink) throws IOException {
        int width = plan.columns().size();
        long sent = 0;
        try {
            while (true) {
                if (maxRows > 0 && sent >= maxRows) {
                    return ExecutionResult.suspension();
                }
                Object[] t = cursor.next(ctx);
                if (t == null) {
                    closeCursor();
                    output = new Plan.Output(List.of(), "SELECT", true);
                    next = 0;
                    return ExecutionResult.completed("SELECT " + sent);
                }
                sink.row(encode(t.length == width ? t : Arrays.copyOf(t, width), ctx));
                sent++;
            }
        } catch (RuntimeException | Error | IOException e) {
            closeCursor();
            throw e;
        }
    }

    private void closeCursor() {
        PlanNodes.PlanNode c = cursor;
        cursor = null;
        if (c != null) {
            c.close();
        }
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
        closeCursor();
    }

    boolean isClosed() {
        return closed;
    }
}
