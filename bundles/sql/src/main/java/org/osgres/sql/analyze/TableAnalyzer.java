package org.osgres.sql.analyze;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.RelationCatalog;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.xact.LockMode;
import org.osgres.sql.exec.ModifyTable;
import org.osgres.sql.exec.Nodes;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.exec.Plan;
import org.osgres.sql.exec.PlanNodes;
import org.osgres.sql.exec.PlanNodes.PlanNode;
import org.osgres.sql.exec.QueryPlan;
import org.osgres.sql.exec.TableScan;
import org.osgres.sql.exec.Tables;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.parser.Parser;
import org.osgres.sql.types.PgType;

/*
 * TableAnalyzer: tables in statements (PostgreSQL: parse_relation.c parserOpenTable and
 * addRangeTableEntry, analyze.c transformInsertStmt / transformUpdateStmt /
 * transformDeleteStmt / transformReturningList, parse_target.c transformAssignedExpr and
 * checkInsertTargets, rewriteHandler.c's defaults (build_column_default)).
 *
 * A table is opened through the catalog with the lock the statement needs (AccessShareLock to
 * read, RowExclusiveLock to change), found by name with the session's search_path. Its scope
 * entry has the table's columns and, hidden from *, its ctid. Values assigned to columns take
 * PostgreSQL's assignment casts, then the column's typmod (22001 for a too-long varchar).
 * Defaults are the catalog's SQL text, parsed and analyzed again.
 *
 * Entry points: fromTable() (FromAnalyzer's tables), insert(), update(), delete().
 * See also: exec.ModifyTable -- runs them; exec.TableScan -- the scans; DdlAnalyzer -- DDL.
 */
public final class TableAnalyzer {
    private TableAnalyzer() {
    }

    /** A scan in the current query with its columns' offset in the joined tuple. */
    record ScanRef(TableScan scan, int offset) {
    }

    /** The table a RangeVar names, locked, or the errors of RangeVarGetRelidExtended. */
    static TableInfo open(Analyzer an, String name, int location, LockMode mode) {
        RelationCatalog catalog = Tables.catalog(an.services, an.session);
        if (catalog == null) {
            throw an.error(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist", location);
        }
        String schema = null;
        String rel = name;
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            schema = name.substring(0, dot);
            rel = name.substring(dot + 1);
        }
        TableInfo t;
        try {
            t = catalog.openTable(Tables.transaction(an.session), schema, rel, Tables.searchPath(an.session), mode,
                    false);
        } catch (PgException e) {
            throw an.at(e, location);
        }
        an.tableOids.add(t.oid());
        return t;
    }

    /** The catalog's rows may not be written by SQL (42501, as allow_system_table_mods = off). */
    static void checkWritable(TableInfo t) {
        if (t.systemCatalog()) {
            throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied: \"" + t.name()
                    + "\" is a system catalog");
        }
    }

    /** The scope columns of a table: its columns, then the hidden ctid. */
    static List<Scope.Column> scopeColumns(TableInfo t) {
        List<Scope.Column> cols = new ArrayList<>();
        for (ColumnInfo c : t.columns()) {
            cols.add(new Scope.Column(c.name(), Tables.columnType(c), c.typmod()));
        }
        cols.add(new Scope.Column("ctid", PgType.TID, -1));
        return cols;
    }

    /** A table in FROM: a TableScan, remembered for WHERE's index quals and FOR UPDATE. */
    static PlanNode fromTable(Analyzer an, Scope scope, TableInfo t, String alias, int location, LockMode mode) {
        int offset = scope.width();
        scope.add(an, t.name(), alias, scopeColumns(t), location, t.oid());
        TableScan scan = new TableScan(t, mode);
        an.scans.add(new ScanRef(scan, offset));
        return scan;
    }

    // ---- assignment and defaults

    /** transformAssignedExpr: assignment cast to the column's type, then its typmod (22001 / 22003 at run time). */
    static Node assign(Analyzer an, Node n, ColumnInfo col, int location) {
        PgType type = Tables.columnType(col);
        Node c = an.coercion.coerce(n, type, -1, Coercion.Context.ASSIGNMENT, location);
        if (c == null) {
            throw an.at(new PgException(SqlState.DATATYPE_MISMATCH, "column \"" + col.name() + "\" is of type "
                    + type.displayName(col.typmod()) + " but expression is of type " + n.type().displayName())
                    .withHint("You will need to rewrite or cast the expression."), location);
        }
        int typmod = col.typmod();
        if (typmod >= 0 && (type == PgType.VARCHAR || type == PgType.BPCHAR || type == PgType.NUMERIC)) {
            Node inner = c;
            return new Nodes.Cast(inner, type, typmod,
                    (v, x) -> org.osgres.sql.types.TypeIO.applyTypmod(type, typmod, v, false));
        }
        return c;
    }

    /** build_column_default: the column's DEFAULT parsed again, or a typed NULL. */
    static Node columnDefault(Analyzer an, ColumnInfo col) {
        if (col.defaultExpr() == null) {
            return new Nodes.Const(Tables.columnType(col), col.typmod(), null);
        }
        String sql = "SELECT " + col.defaultExpr();
        Ast.SelectStmt s = (Ast.SelectStmt) Parser.parse(sql).get(0).stmt();
        Analyzer sub = new Analyzer(sql, null);
        sub.services = an.services;
        sub.session = an.session;
        sub.forbidSetReturning("DEFAULT expressions");
        return assign(sub, sub.transform(s.targets().get(0).expr()), col, -1);
    }

    /**
     * Each column's DEFAULT as an expression (a typed NULL where there is none), for callers that
     * fill rows themselves (COPY FROM without every column); evaluate with an EvalContext.
     */
    public static List<Node> columnDefaults(org.osgres.sql.exec.EngineServices services,
            org.osgres.api.sql.SessionContext session, TableInfo t) {
        Analyzer an = new Analyzer("", null);
        an.services = services;
        an.session = session;
        List<Node> out = new ArrayList<>();
        for (ColumnInfo c : t.columns()) {
            out.add(columnDefault(an, c));
        }
        return out;
    }

    private static ColumnInfo column(Analyzer an, TableInfo t, String name, int location) {
        return t.column(name).orElseThrow(() -> an.error(SqlState.UNDEFINED_COLUMN, "column \"" + name
                + "\" of relation \"" + t.name() + "\" does not exist", location));
    }

    // ---- INSERT

    public static Plan insert(Ast.InsertStmt s, Analyzer an) {
        TableInfo t = open(an, s.table().name(), s.table().location(), LockMode.ROW_EXCLUSIVE);
        checkWritable(t);
        List<ColumnInfo> targets = new ArrayList<>();
        if (s.columns().isEmpty()) {
            targets.addAll(t.columns());
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < s.columns().size(); i++) {
                String name = s.columns().get(i);
                int loc = s.columnLocations().get(i);
                if (!seen.add(name)) {
                    throw an.error(SqlState.DUPLICATE_COLUMN, "column \"" + name + "\" specified more than once", loc);
                }
                targets.add(column(an, t, name, loc));
            }
        }
        List<Node> defaults = new ArrayList<>();
        for (ColumnInfo c : t.columns()) {
            defaults.add(null);
        }
        Ast.SelectStmt sel = s.select();
        if (sel != null && sel.values().size() == 1 && sel.with().isEmpty() && SetReturning.appearsIn(sel.values())
                && sel.values().get(0).stream().noneMatch(e -> e instanceof Ast.SetToDefault)) {
            // one VALUES row is a select list (EXPR_KIND_VALUES_SINGLE): set-returning functions may add rows
            List<Ast.ResTarget> row = new ArrayList<>();
            for (Ast.Expr e : sel.values().get(0)) {
                row.add(new Ast.ResTarget(e, null, e.location()));
            }
            sel = new Ast.SelectStmt(false, row, List.of(), null, List.of(), null, List.of(), null, null, List.of(),
                    -1);
        }
        ModifyTable plan;
        Returning ret;
        if (sel == null || (!sel.values().isEmpty() && sel.with().isEmpty())) {
            List<List<Ast.Expr>> rows = sel == null ? List.of(List.of()) : sel.values();
            List<List<Node>> out = new ArrayList<>();
            an.forbidSetReturning("VALUES");
            for (List<Ast.Expr> row : rows) {
                if (sel != null) {
                    checkWidth(an, s, row.size(), targets.size(), row);
                }
                Node[] full = new Node[t.columns().size()];
                for (int i = 0; i < row.size(); i++) {
                    ColumnInfo col = targets.get(i);
                    Ast.Expr e = row.get(i);
                    full[col.attnum() - 1] = e instanceof Ast.SetToDefault ? defaultOf(an, t, defaults, col)
                            : assign(an, an.transform(e), col, e.location());
                }
                for (ColumnInfo col : t.columns()) {
                    if (full[col.attnum() - 1] == null) {
                        full[col.attnum() - 1] = defaultOf(an, t, defaults, col);
                    }
                }
                out.add(List.of(full));
            }
            ret = returning(an, t, s.table().alias(), s.returning());
            plan = ModifyTable.insertValues(t, out, ret.nodes, ret.columns);
        } else {
            Analyzer sub = new Analyzer(an);
            sub.parent = null;
            sub.depth = an.depth;
            QueryPlan qp = QueryAnalyzer.plan(sel, sub);
            checkWidth(an, s, qp.columns().size(), targets.size(), null);
            Node[] full = new Node[t.columns().size()];
            for (int i = 0; i < targets.size(); i++) {
                ColumnInfo col = targets.get(i);
                Plan.Column pc = qp.columns().get(i);
                full[col.attnum() - 1] = assign(an, new Nodes.Var(i, pc.type(), pc.typmod()), col,
                        sel.targets().isEmpty() ? -1 : sel.targets().get(Math.min(i, sel.targets().size() - 1))
                                .location());
            }
            for (ColumnInfo col : t.columns()) {
                if (full[col.attnum() - 1] == null) {
                    full[col.attnum() - 1] = defaultOf(an, t, defaults, col);
                }
            }
            ret = returning(an, t, s.table().alias(), s.returning());
            plan = ModifyTable.insertSelect(t, qp.root(), List.of(full), ret.nodes, ret.columns);
        }
        return plan;
    }

    private static Node defaultOf(Analyzer an, TableInfo t, List<Node> cache, ColumnInfo col) {
        Node d = cache.get(col.attnum() - 1);
        if (d == null) {
            d = columnDefault(an, col);
            cache.set(col.attnum() - 1, d);
        }
        return d;
    }

    /** checkInsertTargets' count errors. */
    private static void checkWidth(Analyzer an, Ast.InsertStmt s, int exprs, int targets, List<Ast.Expr> row) {
        if (exprs > targets) {
            int loc = row != null ? row.get(targets).location() : -1;
            throw an.error(SqlState.SYNTAX_ERROR, "INSERT has more expressions than target columns", loc);
        }
        if (exprs < targets && !s.columns().isEmpty()) {
            throw an.error(SqlState.SYNTAX_ERROR, "INSERT has more target columns than expressions",
                    s.columnLocations().get(exprs));
        }
    }

    // ---- RETURNING

    private record Returning(List<Node> nodes, List<Plan.Column> columns) {
    }

    /** transformReturningList over a scope of the target table alone (its row at offset 0). */
    private static Returning returning(Analyzer an, TableInfo t, String alias, List<Ast.ResTarget> targets) {
        if (targets.isEmpty()) {
            return new Returning(List.of(), List.of());
        }
        Scope scope = new Scope();
        scope.add(an, t.name(), alias, scopeColumns(t), -1, t.oid());
        return returningOver(an, scope, targets);
    }

    private static Returning returningOver(Analyzer an, Scope scope, List<Ast.ResTarget> targets) {
        if (targets.isEmpty()) {
            return new Returning(List.of(), List.of());
        }
        Scope saved = an.scope;
        an.scope = scope;
        an.aggregates = null;
        an.aggContext = "RETURNING";
        an.forbidSetReturning("RETURNING");
        try {
            Ast.SelectStmt fake = new Ast.SelectStmt(false, targets, List.of(), null, List.of(), null, List.of(),
                    null, null, List.of(), -1);
            List<Node> nodes = new ArrayList<>();
            List<Plan.Column> columns = new ArrayList<>();
            for (QueryAnalyzer.Target tg : QueryAnalyzer.targets(an, scope, fake)) {
                nodes.add(tg.node());
                columns.add(QueryAnalyzer.column(scope, tg));
            }
            return new Returning(nodes, columns);
        } finally {
            an.scope = saved;
        }
    }

    // ---- UPDATE and DELETE

    private record Target(TableInfo table, Scope scope, TableScan scan, PlanNode node, Node where) {
    }

    /** The target table's scan, joined with UPDATE's FROM items, filtered by WHERE (index quals pushed). */
    private static Target target(Analyzer an, Ast.RangeVar rv, List<Ast.FromItem> from, Ast.Expr whereAst) {
        TableInfo t = open(an, rv.name(), rv.location(), LockMode.ROW_EXCLUSIVE);
        checkWritable(t);
        Scope scope = new Scope();
        an.scope = scope;
        TableScan scan = (TableScan) fromTable(an, scope, t, rv.alias(), rv.location(), LockMode.ROW_EXCLUSIVE);
        PlanNode node = scan;
        for (Ast.FromItem fi : from) {
            int before = scope.width();
            PlanNode n = FromAnalyzer.fromItem(an, scope, fi);
            node = new PlanNodes.NestLoop(node, n, null, false, scope.width() - before);
        }
        Node where = null;
        if (whereAst != null) {
            an.aggregates = null;
            an.aggContext = "WHERE";
            an.forbidSetReturning("WHERE");
            where = an.toBoolean(an.transform(whereAst), "WHERE", whereAst.location());
            node = new PlanNodes.Filter(node, where);
            QueryAnalyzer.pushQuals(an, where);
        }
        return new Target(t, scope, scan, node, where);
    }

    public static Plan update(Ast.UpdateStmt s, Analyzer an) {
        Target tg = target(an, s.table(), s.from(), s.where());
        TableInfo t = tg.table();
        Node[] projection = new Node[t.columns().size()];
        an.aggregates = null;
        an.aggContext = "UPDATE";
        an.forbidSetReturning("UPDATE");
        for (Ast.SetClause sc : s.sets()) {
            ColumnInfo col = column(an, t, sc.column(), sc.location());
            if (projection[col.attnum() - 1] != null) {
                throw new PgException(SqlState.SYNTAX_ERROR, "multiple assignments to same column \""
                        + sc.column() + "\"");
            }
            projection[col.attnum() - 1] = sc.value() instanceof Ast.SetToDefault ? columnDefault(an, col)
                    : assign(an, an.transform(sc.value()), col, sc.value().location());
        }
        for (ColumnInfo col : t.columns()) {
            if (projection[col.attnum() - 1] == null) {
                projection[col.attnum() - 1] = new Nodes.Var(col.attnum() - 1, Tables.columnType(col), col.typmod());
            }
        }
        Returning ret = returningOver(an, tg.scope(), s.returning());
        return ModifyTable.update(t, tg.node(), tg.scan(), 0, tg.where(), List.of(projection), ret.nodes,
                ret.columns);
    }

    public static Plan delete(Ast.DeleteStmt s, Analyzer an) {
        Target tg = target(an, s.table(), List.of(), s.where());
        Returning ret = returningOver(an, tg.scope(), s.returning());
        return ModifyTable.delete(tg.table(), tg.node(), tg.scan(), 0, tg.where(), ret.nodes, ret.columns);
    }
}
