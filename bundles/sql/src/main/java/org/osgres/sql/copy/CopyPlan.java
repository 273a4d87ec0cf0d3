package org.osgres.sql.copy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.RelationCatalog;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.Transaction;
import org.osgres.sql.analyze.Analyzer;
import org.osgres.sql.analyze.QueryAnalyzer;
import org.osgres.sql.analyze.TableAnalyzer;
import org.osgres.sql.exec.EvalContext;
import org.osgres.sql.exec.ModifyTable;
import org.osgres.sql.exec.Nodes;
import org.osgres.sql.exec.Plan;
import org.osgres.sql.exec.QueryPlan;
import org.osgres.sql.exec.Tables;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.types.PgType;
import org.osgres.sql.types.TypeIO;

/*
 * CopyPlan: COPY FROM STDIN and COPY TO STDOUT (PostgreSQL: commands/copy.c DoCopy,
 * copyfrom.c CopyFrom, copyto.c DoCopyTo) in the text format.
 *
 * FROM: opens the table for RowExclusiveLock, asks the client for the data (CopyInResponse),
 * reads rows with CopyFromText, converts each field with the column type's input function and
 * typmod (an error names the line and column in its CONTEXT, as CopyFromErrorCallback), fills
 * columns not listed with their defaults, and inserts through ModifyTable.Inserter (NOT NULL,
 * index entries, unique and foreign key checks as INSERT). FREEZE needs a table created or
 * truncated in the transaction, as PostgreSQL's; the rows are then inserted as ordinary rows
 * (not pre-frozen), which no other transaction can tell apart once this one commits.
 * TO: a table (or the listed columns) with the statement's snapshot, or a query's rows, sent as
 * CopyData with CopyToText.
 *
 * Entry points: analyze(); run() through Plan.
 * See also: CopyFromText, CopyToText, CopyOptions; backend CopyProtocol -- the messages.
 */
public final class CopyPlan implements Plan {
    /** Interrupts (cancel, statement_timeout) are checked every this many rows. */
    private static final int CHECK_EVERY = 1024;

    private final Ast.CopyStmt stmt;
    private final CopyOptions options;
    private final QueryPlan query;

    private CopyPlan(Ast.CopyStmt stmt, CopyOptions options, QueryPlan query) {
        this.stmt = stmt;
        this.options = options;
        this.query = query;
    }

    /** DoCopy's checks that need no table: file and program targets, the options, a query's plan. */
    public static CopyPlan analyze(Ast.CopyStmt c, Analyzer an) {
        if (c.program()) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY to or from an external program is not supported by osgres");
        }
        if (c.file() != null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    "COPY to or from a server file is not supported by osgres yet")
                    .withHint("Use COPY ... FROM STDIN or TO STDOUT, or psql's \\copy.");
        }
        CopyOptions options = CopyOptions.of(c.options(), c.from());
        QueryPlan q = c.query() == null ? null : QueryAnalyzer.plan(c.query(), an);
        return new CopyPlan(c, options, q);
    }

    @Override
    public List<Column> columns() {
        return List.of();
    }

    @Override
    public Output run(EvalContext ctx) {
        try {
            long n = stmt.from() ? copyFrom(ctx) : query != null ? copyQuery(ctx) : copyTable(ctx);
            return new Output(List.of(), "COPY " + n, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TableInfo openTable(EvalContext ctx, LockMode mode) {
        SessionContext session = ctx.session();
        Transaction tx = Tables.transaction(session);
        RelationCatalog catalog = Tables.catalog(ctx.services(), session);
        if (catalog == null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "COPY needs tables, and no catalog is installed");
        }
        return catalog.openTable(tx, stmt.schema(), stmt.table(), Tables.searchPath(session), mode, false);
    }

    /** CopyGetAttnums: the listed columns' positions (0-based), or every column. */
    private List<Integer> attnums(TableInfo t) {
        List<Integer> out = new ArrayList<>();
        if (stmt.columns().isEmpty()) {
            for (int i = 0; i < t.columns().size(); i++) {
                out.add(i);
            }
            return out;
        }
        for (String name : stmt.columns()) {
            ColumnInfo c = t.column(name).orElseThrow(() -> new PgException(SqlState.UNDEFINED_COLUMN,
                    "column \"" + name + "\" of relation \"" + t.name() + "\" does not exist"));
            int i = c.attnum() - 1;
            if (out.contains(i)) {
                throw new PgException(SqlState.DUPLICATE_COLUMN, "column \"" + name + "\" specified more than once");
            }
            out.add(i);
        }
        return out;
    }

    private long copyFrom(EvalContext ctx) throws IOException {
        TableInfo t = openTable(ctx, LockMode.ROW_EXCLUSIVE);
        if (options.freeze() && !Tables.catalog(ctx.services(), ctx.session())
                .storageCreatedIn(Tables.transaction(ctx.session()), t)) {
            throw new PgException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "cannot perform COPY FREEZE because the "
                    + "table was not created or truncated in the current subtransaction");
        }
        ModifyTable.Inserter inserter = ModifyTable.Inserter.open(ctx, t);
        t = inserter.table();
        List<Integer> attnums = attnums(t);
        List<ColumnInfo> columns = t.columns();
        PgType[] types = Tables.types(t);
        List<String> names = new ArrayList<>();
        for (int i : attnums) {
            names.add(columns.get(i).name());
        }
        // defaults of the columns COPY does not fill (BeginCopyFrom's defexprs)
        List<Nodes.Node> defaults = TableAnalyzer.columnDefaults(ctx.services(), ctx.session(), t);
        boolean[] listed = new boolean[columns.size()];
        for (int i : attnums) {
            listed[i] = true;
        }
        InputStream in = ctx.session().copyIn(attnums.size());
        CopyFromText reader = new CopyFromText(in, options, t.name());
        long rows = 0;
        for (String[] fields = reader.next(); fields != null; fields = reader.next()) {
            if (++rows % CHECK_EVERY == 0) {
                ctx.session().interrupts().check();
            }
            reader.checkFieldCount(fields, attnums.size(), names);
            Object[] values = new Object[columns.size()];
            for (int k = 0; k < attnums.size(); k++) {
                int i = attnums.get(k);
                values[i] = input(reader, columns.get(i), types[i], fields[k]);
            }
            for (int i = 0; i < values.length; i++) {
                if (!listed[i] && defaults.get(i) != null) {
                    values[i] = defaults.get(i).eval(ctx);
                }
            }
            try {
                inserter.insert(values);
            } catch (PgException e) {
                throw e.context() == null ? e.withContext(reader.rowContext()) : e;
            }
        }
        return inserter.finish();
    }

    /** One field through the column type's input function and typmod (InputFunctionCall). */
    private static Object input(CopyFromText reader, ColumnInfo c, PgType type, String field) {
        if (field == null) {
            return null;
        }
        try {
            Object v = TypeIO.input(type, -1, field);
            return TypeIO.applyTypmod(type, c.typmod(), v, false);
        } catch (PgException e) {
            throw e.withContext(reader.columnContext(c.name(), field));
        }
    }

    private long copyTable(EvalContext ctx) throws IOException {
        TableInfo t = openTable(ctx, LockMode.ACCESS_SHARE);
        List<Integer> attnums = attnums(t);
        PgType[] types = Tables.types(t);
        ZoneId zone = ctx.zone();
        Transaction tx = Tables.transaction(ctx.session());
        long rows = 0;
        try (OutputStream out = ctx.session().copyOut(attnums.size());
                HeapScan scan = ctx.services().heap().beginScan(t.heap(), tx, ctx.snapshot())) {
            CopyToText writer = new CopyToText(out, options);
            String[] fields = new String[attnums.size()];
            for (HeapTuple tuple = scan.next(); tuple != null; tuple = scan.next()) {
                if (++rows % CHECK_EVERY == 0) {
                    ctx.session().interrupts().check();
                }
                Object[] values = Tables.row(tuple, types);
                for (int k = 0; k < fields.length; k++) {
                    int i = attnums.get(k);
                    fields[k] = values[i] == null ? null : TypeIO.output(types[i], values[i], zone);
                }
                writer.row(fields);
            }
        }
        return rows;
    }

    private long copyQuery(EvalContext ctx) throws IOException {
        List<Column> columns = query.columns();
        ZoneId zone = ctx.zone();
        long rows = 0;
        try (OutputStream out = ctx.session().copyOut(columns.size())) {
            CopyToText writer = new CopyToText(out, options);
            String[] fields = new String[columns.size()];
            try {
                query.root().open(ctx);
                for (Object[] row = query.root().next(ctx); row != null; row = query.root().next(ctx)) {
                    if (++rows % CHECK_EVERY == 0) {
                        ctx.session().interrupts().check();
                    }
                    for (int k = 0; k < fields.length; k++) {
                        fields[k] = row[k] == null ? null : TypeIO.output(columns.get(k).type(), row[k], zone);
                    }
                    writer.row(fields);
                }
            } finally {
                query.root().close();
            }
        }
        return rows;
    }
}
