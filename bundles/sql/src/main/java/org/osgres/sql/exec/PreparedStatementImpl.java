package org.osgres.sql.exec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.sql.ColumnDescriptor;
import org.osgres.api.sql.ParsedStatement;
import org.osgres.api.sql.Portal;
import org.osgres.api.sql.PreparedStatement;
import org.osgres.api.sql.SessionContext;
import org.osgres.sql.types.BinaryIO;
import org.osgres.sql.types.PgType;
import org.osgres.sql.types.TypeIO;

/*
 * PreparedStatementImpl: an analyzed statement (PostgreSQL: a CachedPlanSource) and Bind
 * (tcop/postgres.c exec_bind_message): parameter values are decoded with the types' input or
 * receive functions, in the formats the client chose.
 *
 * Entry points: parameterTypes(), resultColumns(), bind().
 * See also: PortalImpl -- runs the bound statement.
 */
public final class PreparedStatementImpl implements PreparedStatement {
    private final ParsedStatement statement;
    private Plan plan;
    private final PgType[] paramTypes;
    private final EngineServices services;
    private List<Integer> tableOids;
    private final java.util.function.Function<SessionContext, PreparedStatementImpl> replanner;

    public PreparedStatementImpl(ParsedStatement statement, Plan plan, PgType[] paramTypes) {
        this(statement, plan, paramTypes, new EngineServices());
    }

    public PreparedStatementImpl(ParsedStatement statement, Plan plan, PgType[] paramTypes,
            EngineServices services) {
        this(statement, plan, paramTypes, services, List.of(), null);
    }

    /**
     * A statement over tables: tableOids are the tables it was analyzed against, replanner
     * analyzes it again when one of them is gone (a DROP and CREATE of the same name).
     */
    public PreparedStatementImpl(ParsedStatement statement, Plan plan, PgType[] paramTypes,
            EngineServices services, List<Integer> tableOids,
            java.util.function.Function<SessionContext, PreparedStatementImpl> replanner) {
        this.tableOids = List.copyOf(tableOids);
        this.replanner = replanner;
        this.services = services;
        this.statement = statement;
        this.plan = plan;
        this.paramTypes = paramTypes;
    }

    @Override
    public ParsedStatement statement() {
        return statement;
    }

    @Override
    public int[] parameterTypes() {
        int[] oids = new int[paramTypes.length];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = paramTypes[i].oid();
        }
        return oids;
    }

    @Override
    public List<ColumnDescriptor> resultColumns() {
        return describe(plan.columns(), new short[0]);
    }

    /** RowDescription fields with the formats chosen by PostgreSQL's one-or-all-or-each rule. */
    static List<ColumnDescriptor> describe(List<Plan.Column> columns, short[] formats) {
        List<ColumnDescriptor> out = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Plan.Column c = columns.get(i);
            out.add(new ColumnDescriptor(c.name(), c.tableOid(), (short) c.attnum(), c.type().oid(), c.type().typlen(), c.typmod(),
                    formatOf(formats, i)));
        }
        return out;
    }

    static short formatOf(short[] formats, int i) {
        if (formats == null || formats.length == 0) {
            return 0;
        }
        return formats.length == 1 ? formats[0] : formats[i];
    }

    /**
     * RevalidateCachedQuery: when a table the plan was made for no longer exists as the
     * transaction sees it, the statement is analyzed again; its result columns must not change
     * (0A000 "cached plan must not change result type").
     */
    private void revalidate(SessionContext session) {
        if (tableOids.isEmpty() || replanner == null) {
            return;
        }
        org.osgres.api.catalog.RelationCatalog catalog = Tables.catalog(services, session);
        if (catalog == null) {
            return;
        }
        org.osgres.api.xact.Transaction tx = session.transaction();
        boolean stale = false;
        for (int oid : tableOids) {
            stale |= catalog.table(tx, oid) == null;
        }
        if (!stale) {
            return;
        }
        PreparedStatementImpl fresh = replanner.apply(session);
        List<Plan.Column> before = plan.columns();
        List<Plan.Column> after = fresh.plan.columns();
        boolean same = before.size() == after.size() && fresh.paramTypes.length == paramTypes.length;
        for (int i = 0; same && i < before.size(); i++) {
            same = before.get(i).type() == after.get(i).type() && before.get(i).typmod() == after.get(i).typmod();
        }
        if (!same) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "cached plan must not change result type");
        }
        plan = fresh.plan;
        tableOids = fresh.tableOids;
    }

    @Override
    public Portal bind(List<byte[]> values, short[] paramFormats, short[] resultFormats, SessionContext session) {
        revalidate(session);
        int n = values == null ? 0 : values.size();
        if (n != paramTypes.length) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "bind message supplies " + n
                    + " parameters, but prepared statement \"\" requires " + paramTypes.length);
        }
        if (paramFormats != null && paramFormats.length > 1 && paramFormats.length != n) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "bind message has " + paramFormats.length
                    + " parameter formats but " + n + " parameters");
        }
        int ncols = plan.columns().size();
        if (resultFormats != null && resultFormats.length > 1 && resultFormats.length != ncols) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "bind message has " + resultFormats.length
                    + " result formats but query has " + ncols + " columns");
        }
        Object[] params = new Object[n];
        for (int i = 0; i < n; i++) {
            byte[] b = values.get(i);
            if (b == null) {
                continue;
            }
            short format = formatOf(paramFormats, i);
            if (format == 1) {
                try {
                    params[i] = BinaryIO.recv(paramTypes[i], -1, b);
                } catch (PgException e) {
                    if (e.sqlState() == SqlState.INVALID_BINARY_REPRESENTATION) {
                        throw new PgException(SqlState.INVALID_BINARY_REPRESENTATION,
                                "incorrect binary data format in bind parameter " + (i + 1));
                    }
                    throw e;
                }
            } else if (format == 0) {
                params[i] = TypeIO.input(paramTypes[i], -1, new String(b, StandardCharsets.UTF_8));
            } else {
                throw new PgException(SqlState.PROTOCOL_VIOLATION, "unsupported format code: " + format);
            }
        }
        for (short f : resultFormats == null ? new short[0] : resultFormats) {
            if (f != 0 && f != 1) {
                throw new PgException(SqlState.PROTOCOL_VIOLATION, "unsupported format code: " + f);
            }
        }
        return new PortalImpl(plan, describe(plan.columns(), resultFormats), params, session, services);
    }
}
