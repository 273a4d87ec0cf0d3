package org.osgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.analyze.Analyzer;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.parser.Lexer;
import org.osgres.sql.types.PgType;

/*
 * SelectPlan: VALUES lists (and the SELECT without FROM they share a shape with) (PostgreSQL: analyze.c transformSelectStmt and
 * transformValuesClause, then nodeResult.c, nodeValuesscan.c and nodeLimit.c).
 *
 * A SELECT without FROM has one implicit row: WHERE filters it, LIMIT and OFFSET (evaluated
 * first, as nodeLimit.c does) cut it. PgSqlEngine sends SELECT to QueryAnalyzer and only VALUES here;
 * VALUES in FROM, in WITH or in a sublink runs as a plan node (scan()).
 *
 * Entry points: analyze(), run(), scan().
 */
public final class SelectPlan implements Plan {
    private final List<Column> columns;
    private final List<List<Node>> rows;
    private final Node where;
    private final Node limit;
    private final Node offset;

    private SelectPlan(List<Column> columns, List<List<Node>> rows, Node where, Node limit, Node offset) {
        this.columns = columns;
        this.rows = rows;
        this.where = where;
        this.limit = limit;
        this.offset = offset;
    }

    public static SelectPlan analyze(Ast.SelectStmt s, Analyzer an, String src) {
        if (s.starLocation() >= 0) {
            throw new PgException(SqlState.SYNTAX_ERROR, "SELECT * with no tables specified is not valid")
                    .atPosition(Lexer.position(src, s.starLocation()));
        }
        List<Column> columns = new ArrayList<>();
        List<List<Node>> rows = new ArrayList<>();
        an.forbidSetReturning("VALUES");
        if (!s.values().isEmpty()) {
            valuesRows(s.values(), an, columns, rows);
        } else {
            List<Node> row = new ArrayList<>();
            for (Ast.ResTarget t : s.targets()) {
                Node n = an.resolveUnknown(an.transform(t.expr()));
                row.add(n);
                String name = t.alias() != null ? t.alias() : Analyzer.columnName(t.expr());
                columns.add(new Column(name, n.type(), n.typmod()));
            }
            rows.add(row);
        }
        Node where = s.where() == null ? null
                : an.toBoolean(an.transform(s.where()), "WHERE", s.where().location());
        Node limit = s.limit() == null ? null : an.coerceTo(an.transform(s.limit()), PgType.INT8, "LIMIT",
                s.limit().location());
        Node offset = s.offset() == null ? null : an.coerceTo(an.transform(s.offset()), PgType.INT8, "OFFSET",
                s.offset().location());
        return new SelectPlan(columns, rows, where, limit, offset);
    }

    private static void valuesRows(List<List<Ast.Expr>> values, Analyzer an, List<Column> columns,
            List<List<Node>> rows) {
        int width = values.get(0).size();
        List<List<Node>> raw = new ArrayList<>();
        for (List<Ast.Expr> r : values) {
            List<Node> row = new ArrayList<>();
            for (Ast.Expr e : r) {
                row.add(an.transform(e));
            }
            raw.add(row);
        }
        for (int c = 0; c < width; c++) {
            List<Node> col = new ArrayList<>();
            List<Integer> locs = new ArrayList<>();
            for (int r = 0; r < raw.size(); r++) {
                col.add(raw.get(r).get(c));
                locs.add(values.get(r).get(c).location());
            }
            PgType type = an.coercion().selectCommonType(col, locs, "VALUES");
            for (int r = 0; r < raw.size(); r++) {
                raw.get(r).set(c, an.coercion().toCommon(raw.get(r).get(c), type, "VALUES", locs.get(r)));
            }
            columns.add(new Column("column" + (c + 1), type, -1));
        }
        rows.addAll(raw);
    }

    /** The rows as a plan node (nodeValuesscan.c), for VALUES as a subquery, a WITH query or a sublink. */
    public PlanNodes.PlanNode scan() {
        return new PlanNodes.Scan(ctx -> run(ctx).rows());
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public Output run(EvalContext ctx) {
        long skip = 0;
        long max = Long.MAX_VALUE;
        if (limit != null) {
            Object v = limit.eval(ctx);
            if (v != null) {
                max = (Long) v;
                if (max < 0) {
                    throw new PgException(SqlState.INVALID_ROW_COUNT_IN_LIMIT_CLAUSE, "LIMIT must not be negative");
                }
            }
        }
        if (offset != null) {
            Object v = offset.eval(ctx);
            if (v != null) {
                skip = (Long) v;
                if (skip < 0) {
                    throw new PgException(SqlState.INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE,
                            "OFFSET must not be negative");
                }
            }
        }
        List<Object[]> out = new ArrayList<>();
        for (List<Node> row : rows) {
            if (ctx.session() != null) {
                ctx.session().interrupts().check();
            }
            if (max == 0) {
                break;
            }
            if (where != null && !Boolean.TRUE.equals(where.eval(ctx))) {
                continue;
            }
            if (skip > 0) {
                skip--;
                continue;
            }
            Object[] values = new Object[row.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(i).eval(ctx);
            }
            out.add(values);
            max--;
        }
        return new Output(out, "SELECT", true);
    }
}
