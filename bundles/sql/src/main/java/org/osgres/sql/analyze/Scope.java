package org.osgres.sql.analyze;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.exec.Nodes;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.types.PgType;

/*
 * Scope: the FROM clause's range table as column references see it (PostgreSQL:
 * parser/parse_relation.c -- addRangeTableEntry, refnameNamespaceItem, colNameToVar,
 * scanNSItemForColumn, errorMissingColumn with its fuzzy "Perhaps you meant" hints,
 * errorMissingRTE).
 *
 * Each entry is one relation, subquery or WITH query with its reference name (the alias, else
 * the relation name) and its columns at an offset in the joined tuple, so a resolved column is
 * a Nodes.Var. A column only an enclosing query has is an OuterVar, its levels counted as the
 * executor nests SubPlans (Analyzer.levelShift).
 *
 * Entry points: add(), addSubquery(), resolve(), entries(), width().
 * See also: QueryAnalyzer -- fills it from FROM.
 */
final class Scope {
    record Column(String name, PgType type, int typmod) {
    }

    /**
     * One range table entry; relname is the relation's own name, refname what the query calls it.
     * origins, for a subquery or WITH query, is the table column each output column shows
     * ({oid, attnum}, or null), as markTargetListOrigin looks through them; null for a relation.
     */
    record Entry(String refname, String relname, boolean hasAlias, List<Column> columns, int offset, int relOid,
            List<int[]> origins) {
    }

    /** The table column a Var shows (oid and attnum; -1 for ctid), or null for anything else. */
    int[] tableColumn(Nodes.Node n) {
        if (!(n instanceof Nodes.Var v)) {
            return null;
        }
        for (Entry e : entries) {
            int i = v.index() - e.offset();
            if (i < 0 || i >= e.columns().size()) {
                continue;
            }
            if (e.relOid() != 0) {
                return new int[] {e.relOid(), i == e.columns().size() - 1 ? -1 : i + 1};
            }
            return e.origins() == null ? null : e.origins().get(i);
        }
        return null;
    }

    private static final int MAX_FUZZY_DISTANCE = 3;

    private final List<Entry> entries = new ArrayList<>();
    private int width;

    List<Entry> entries() {
        return entries;
    }

    int width() {
        return width;
    }

    /** Adds a relation; 42712 when its reference name is already used. */
    Entry add(Analyzer an, String relname, String alias, List<Column> columns, int location) {
        return add(an, relname, alias, columns, location, 0);
    }

    /** Adds a table (its oid for RowDescription), whose last column is its ctid. */
    Entry add(Analyzer an, String relname, String alias, List<Column> columns, int location, int relOid) {
        return add(relname, alias, columns, relOid, null);
    }

    /** Adds a subquery or WITH query with the table columns its output columns show. */
    Entry addSubquery(String relname, String alias, List<Column> columns, List<int[]> origins) {
        return add(relname, alias, columns, 0, origins);
    }

    private Entry add(String relname, String alias, List<Column> columns, int relOid, List<int[]> origins) {
        String refname = alias != null ? alias : relname;
        for (Entry e : entries) {
            if (e.refname().equals(refname)) {
                // PostgreSQL reports this one without a position (checkNameSpaceConflicts)
                throw new PgException(SqlState.DUPLICATE_ALIAS, "table name \"" + refname
                        + "\" specified more than once");
            }
        }
        Entry e = new Entry(refname, relname, alias != null, columns, width, relOid, origins);
        entries.add(e);
        width += columns.size();
        return e;
    }

    /**
     * A column reference as a Var, or an OuterVar when only an enclosing query's FROM has it;
     * otherwise the errors colNameToVar and friends give.
     */
    Node resolve(Analyzer an, Ast.ColumnRef c) {
        try {
            return resolveHere(an, c);
        } catch (PgException notHere) {
            Analyzer outer = an.parent;
            if (outer == null || outer.scope == null
                    || notHere.sqlState() == SqlState.AMBIGUOUS_COLUMN) {
                throw notHere;
            }
            Node v;
            try {
                v = outer.scope.resolve(outer, c);
            } catch (PgException e) {
                throw notHere;
            }
            int up = 1 + an.levelShift;
            return switch (v) {
                case Nodes.Var x -> new Nodes.OuterVar(up, x.index(), x.type(), x.typmod());
                case Nodes.OuterVar x -> new Nodes.OuterVar(x.levelsUp() + up, x.index(), x.type(), x.typmod());
                default -> v;
            };
        }
    }

    private Node resolveHere(Analyzer an, Ast.ColumnRef c) {
        List<String> names = c.names();
        String colname = names.get(names.size() - 1);
        if (colname.equals("*")) {
            throw an.error(SqlState.FEATURE_NOT_SUPPORTED, "row expressions are not supported by osgres yet",
                    c.location());
        }
        if (names.size() == 1) {
            Node found = null;
            for (Entry e : entries) {
                Node v = column(an, e, colname, c);
                if (v != null) {
                    if (found != null) {
                        throw an.error(SqlState.AMBIGUOUS_COLUMN, "column reference \"" + colname + "\" is ambiguous",
                                c.location());
                    }
                    found = v;
                }
            }
            if (found == null) {
                throw missingColumn(an, null, colname, c.location());
            }
            return found;
        }
        Entry e = entry(an, names, c.location());
        Node v = column(an, e, colname, c);
        if (v == null) {
            throw missingColumn(an, names.get(names.size() - 2), colname, c.location());
        }
        return v;
    }

    /** The entry a qualified reference names (refnameNamespaceItem), or errorMissingRTE's errors. */
    Entry entry(Analyzer an, List<String> names, int location) {
        String ref = names.get(names.size() - 2);
        boolean schemaQualified = names.size() > 2;
        for (Entry e : entries) {
            if (schemaQualified ? !e.hasAlias() && e.relname().equals(ref) : e.refname().equals(ref)) {
                return e;
            }
        }
        for (Entry e : entries) {
            if (e.hasAlias() && e.relname().equals(ref)) {
                throw at(an, new PgException(SqlState.UNDEFINED_TABLE,
                        "invalid reference to FROM-clause entry for table \"" + ref + "\"")
                        .withHint("Perhaps you meant to reference the table alias \"" + e.refname() + "\"."), location);
            }
        }
        throw an.error(SqlState.UNDEFINED_TABLE, "missing FROM-clause entry for table \"" + ref + "\"", location);
    }

    private static PgException at(Analyzer an, PgException e, int location) {
        return an.at(e, location);
    }

    /** A column of one entry by name; 42702 when the entry has two of that name (scanNSItemForColumn). */
    private static Node column(Analyzer an, Entry e, String name, Ast.ColumnRef c) {
        Node found = null;
        for (int i = 0; i < e.columns().size(); i++) {
            if (e.columns().get(i).name().equals(name)) {
                if (found != null) {
                    throw an.error(SqlState.AMBIGUOUS_COLUMN, "column reference \"" + name + "\" is ambiguous", c.location());
                }
                found = columnAt(e, i);
            }
        }
        return found;
    }

    /** The i-th column of an entry as a Var. */
    static Nodes.Var columnAt(Entry e, int i) {
        Column col = e.columns().get(i);
        return new Nodes.Var(e.offset() + i, col.type(), col.typmod());
    }

    static Node column(Entry e, String name) {
        for (int i = 0; i < e.columns().size(); i++) {
            Column col = e.columns().get(i);
            if (col.name().equals(name)) {
                return new Nodes.Var(e.offset() + i, col.type(), col.typmod());
            }
        }
        return null;
    }

    /** errorMissingColumn() with searchRangeTableForCol()'s fuzzy match. */
    private PgException missingColumn(Analyzer an, String relname, String colname, int location) {
        int distance = MAX_FUZZY_DISTANCE + 1;
        Entry rfirst = null;
        String first = null;
        Entry rsecond = null;
        String second = null;
        for (Entry e : entries) {
            int penalty = relname == null ? 0 : levenshtein(relname, e.refname());
            if (relname != null && penalty > MAX_FUZZY_DISTANCE + 1) {
                penalty = MAX_FUZZY_DISTANCE + 1;
            }
            for (Column col : e.columns()) {
                if (penalty > distance) {
                    break;
                }
                int d = levenshtein(col.name(), colname);
                if (d > colname.length() / 2) {
                    continue;
                }
                d += penalty;
                if (d < distance) {
                    distance = d;
                    rfirst = e;
                    first = col.name();
                    rsecond = null;
                    second = null;
                } else if (d == distance) {
                    if (second != null) {
                        rfirst = null;
                        first = null;
                        rsecond = null;
                        second = null;
                        distance = d - 1;
                    } else if (first != null) {
                        rsecond = e;
                        second = col.name();
                    } else if (distance <= MAX_FUZZY_DISTANCE) {
                        rfirst = e;
                        first = col.name();
                    }
                }
            }
        }
        String msg = relname != null ? "column " + relname + "." + colname + " does not exist"
                : "column \"" + colname + "\" does not exist";
        PgException ex = new PgException(SqlState.UNDEFINED_COLUMN, msg);
        if (rfirst != null && rsecond != null) {
            ex.withHint("Perhaps you meant to reference the column \"" + rfirst.refname() + "." + first
                    + "\" or the column \"" + rsecond.refname() + "." + second + "\".");
        } else if (rfirst != null) {
            ex.withHint("Perhaps you meant to reference the column \"" + rfirst.refname() + "." + first + "\".");
        }
        return an.at(ex, location);
    }

    /** varstr_levenshtein() with unit costs. */
    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
