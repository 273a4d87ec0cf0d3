/*
 * CatalogState: one database's catalogs as one catalog snapshot saw them, with the relcache
 * entries built from them (PostgreSQL: utils/cache/relcache.c RelationBuildDesc over the
 * syscaches, and the catalog snapshot of snapmgr.c GetCatalogSnapshot).
 *
 * The catalogs are small, so a state reads every row of pg_namespace, pg_class, pg_attribute,
 * pg_attrdef, pg_index and pg_constraint once and indexes them in memory; TableInfos are built
 * on first use. A state of the committed catalogs is shared by every backend until a
 * transaction that changed the catalogs commits (DatabaseCatalog's version); a transaction
 * with its own uncommitted DDL reads its own state after each change.
 *
 * Entry points: load(), namespace(), relation(), tableInfo(), tables().
 * See also: DatabaseCatalog; CatalogRows.Row.
 */
package org.osgres.catalog;

import static org.osgres.catalog.CatalogTables.PG_ATTRDEF;
import static org.osgres.catalog.CatalogTables.PG_ATTRIBUTE;
import static org.osgres.catalog.CatalogTables.PG_CLASS;
import static org.osgres.catalog.CatalogTables.PG_CONSTRAINT;
import static org.osgres.catalog.CatalogTables.PG_INDEX;
import static org.osgres.catalog.CatalogTables.PG_NAMESPACE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.ConstraintInfo;
import org.osgres.api.catalog.IndexInfo;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.catalog.CatalogRows.Row;

final class CatalogState {
    final int dbOid;
    final long version;
    final Map<Integer, Row> namespaces = new HashMap<>();
    final Map<String, Row> namespacesByName = new HashMap<>();
    final Map<Integer, Row> classes = new HashMap<>();
    final Map<String, Row> classesByName = new HashMap<>();
    final Map<Integer, List<Row>> attributes = new HashMap<>();
    final Map<Integer, List<Row>> attrdefs = new HashMap<>();
    final Map<Integer, List<Row>> indexesOf = new HashMap<>();
    final Map<Integer, Row> indexes = new HashMap<>();
    final Map<Integer, List<Row>> constraintsOf = new HashMap<>();
    final Map<Integer, List<Row>> referencing = new HashMap<>();
    final List<Row> constraints = new ArrayList<>();
    private final Map<Integer, TableInfo> tableInfos = new ConcurrentHashMap<>();

    private CatalogState(int dbOid, long version) {
        this.dbOid = dbOid;
        this.version = version;
    }

    private static String key(int namespace, String name) {
        return namespace + "." + name;
    }

    /** Reads the catalogs with the snapshot (the transaction owns the scans' locks). */
    static CatalogState load(HeapAccess heap, Transaction tx, Snapshot snapshot, int dbOid, long version) {
        CatalogState s = new CatalogState(dbOid, version);
        for (Row r : scan(heap, PG_NAMESPACE.relation(dbOid), tx, snapshot)) {
            s.namespaces.put(r.i(0), r);
            s.namespacesByName.put(r.s(1), r);
        }
        for (Row r : scan(heap, PG_CLASS.relation(dbOid), tx, snapshot)) {
            s.classes.put(r.i(0), r);
            s.classesByName.put(key(r.i(CatalogTables.RELNAMESPACE), r.s(CatalogTables.RELNAME)), r);
        }
        for (Row r : scan(heap, PG_ATTRIBUTE.relation(dbOid), tx, snapshot)) {
            s.attributes.computeIfAbsent(r.i(0), k -> new ArrayList<>()).add(r);
        }
        for (List<Row> atts : s.attributes.values()) {
            atts.sort(Comparator.comparingInt(r -> r.i(CatalogTables.ATTNUM)));
        }
        for (Row r : scan(heap, PG_ATTRDEF.relation(dbOid), tx, snapshot)) {
            s.attrdefs.computeIfAbsent(r.i(1), k -> new ArrayList<>()).add(r);
        }
        for (Row r : scan(heap, PG_INDEX.relation(dbOid), tx, snapshot)) {
            s.indexes.put(r.i(0), r);
            s.indexesOf.computeIfAbsent(r.i(1), k -> new ArrayList<>()).add(r);
        }
        for (List<Row> ix : s.indexesOf.values()) {
            ix.sort(Comparator.comparingInt(r -> r.i(0)));
        }
        for (Row r : scan(heap, PG_CONSTRAINT.relation(dbOid), tx, snapshot)) {
            s.constraints.add(r);
        }
        s.constraints.sort(Comparator.comparingInt(r -> r.i(0)));
        for (Row r : s.constraints) {
            s.constraintsOf.computeIfAbsent(r.i(7), k -> new ArrayList<>()).add(r);
            if (r.c(3) == 'f') {
                s.referencing.computeIfAbsent(r.i(11), k -> new ArrayList<>()).add(r);
            }
        }
        return s;
    }

    static List<Row> scan(HeapAccess heap, Relation rel, Transaction tx, Snapshot snapshot) {
        List<Row> rows = new ArrayList<>();
        try (HeapScan scan = heap.beginScan(rel, tx, snapshot)) {
            for (HeapTuple t = scan.next(); t != null; t = scan.next()) {
                rows.add(new Row(t.tid(), t.values()));
            }
        }
        return rows;
    }

    /** The namespace's oid, or 0. */
    int namespace(String name) {
        Row r = namespacesByName.get(name);
        return r == null ? 0 : r.i(0);
    }

    String namespaceName(int oid) {
        Row r = namespaces.get(oid);
        return r == null ? null : r.s(1);
    }

    /** The pg_class row of that name in the namespace, or null. */
    Row relation(int namespace, String name) {
        return classesByName.get(key(namespace, name));
    }

    /** Whether a constraint of that name exists in the namespace (ConstraintNameExists). */
    boolean constraintNameExists(int namespace, String name) {
        for (Row r : constraints) {
            if (r.i(2) == namespace && r.s(1).equals(name)) {
                return true;
            }
        }
        return false;
    }

    List<Row> attributesOf(int relOid) {
        return attributes.getOrDefault(relOid, List.of());
    }

    /** The relcache entry of a table ('r'), or null when there is none. */
    TableInfo tableInfo(int relOid) {
        Row c = classes.get(relOid);
        if (c == null || c.c(CatalogTables.RELKIND) != 'r') {
            return null;
        }
        return tableInfos.computeIfAbsent(relOid, k -> buildTableInfo(c));
    }

    /** Every table, by oid. */
    List<TableInfo> tables() {
        List<TableInfo> out = new ArrayList<>();
        classes.keySet().stream().sorted().forEach(oid -> {
            TableInfo t = tableInfo(oid);
            if (t != null) {
                out.add(t);
            }
        });
        return out;
    }

    /** A relation's files: global/ for the shared catalog, else base/&lt;db&gt;/&lt;relfilenode&gt;. */
    RelFileLocator locator(Row c) {
        if (c.b(14)) { // relisshared
            return new RelFileLocator(RelFileLocator.GLOBAL_TABLESPACE_OID, 0, c.i(CatalogTables.RELFILENODE));
        }
        return RelFileLocator.of(dbOid, c.i(CatalogTables.RELFILENODE));
    }

    /** The heap's fillfactor from reloptions, or 100. */
    static int fillfactor(Row c, int dflt) {
        String[] options = (String[]) c.v()[CatalogTables.RELOPTIONS];
        if (options != null) {
            for (String o : options) {
                if (o.startsWith("fillfactor=")) {
                    return Integer.parseInt(o.substring("fillfactor=".length()));
                }
            }
        }
        return dflt;
    }

    private TableInfo buildTableInfo(Row c) {
        int relOid = c.i(0);
        Map<Integer, String> defaults = new HashMap<>();
        for (Row d : attrdefs.getOrDefault(relOid, List.of())) {
            defaults.put(d.i(2), d.s(3));
        }
        List<ColumnInfo> columns = new ArrayList<>();
        List<Attribute> atts = new ArrayList<>();
        for (Row a : attributesOf(relOid)) {
            int attnum = a.i(CatalogTables.ATTNUM);
            if (attnum <= 0) {
                continue;
            }
            String name = a.s(CatalogTables.ATTNAME);
            int type = a.i(CatalogTables.ATTTYPID);
            boolean notNull = a.b(CatalogTables.ATTNOTNULL);
            columns.add(new ColumnInfo(attnum, name, type, a.i(CatalogTables.ATTTYPMOD), notNull, defaults.get(attnum)));
            atts.add(Attribute.of(name, type).withStorage(a.c(11)).withNotNull(notNull));
        }
        String name = c.s(CatalogTables.RELNAME);
        Relation heapRel = new Relation(locator(c), relOid, name, new TupleDesc(atts), fillfactor(c, Relation.DEFAULT_FILLFACTOR));
        List<IndexInfo> indexInfos = new ArrayList<>();
        for (Row ix : indexesOf.getOrDefault(relOid, List.of())) {
            indexInfos.add(indexInfo(ix, heapRel));
        }
        List<ConstraintInfo> cons = new ArrayList<>();
        for (Row r : constraintsOf.getOrDefault(relOid, List.of())) {
            cons.add(constraintInfo(r));
        }
        List<TableInfo.ReferencingKey> refs = new ArrayList<>();
        for (Row r : referencing.getOrDefault(relOid, List.of())) {
            refs.add(new TableInfo.ReferencingKey(r.i(7), constraintInfo(r)));
        }
        return new TableInfo(relOid, namespaceName(c.i(CatalogTables.RELNAMESPACE)), name, 'r',
                c.i(CatalogTables.RELOWNER), heapRel, columns, indexInfos, cons, refs,
                relOid < CatalogTables.FIRST_NORMAL_OBJECT_ID);
    }

    private IndexInfo indexInfo(Row ix, Relation heapRel) {
        int indexOid = ix.i(0);
        Row ic = classes.get(indexOid);
        short[] keys = (short[]) ix.v()[15];
        List<Integer> attnums = new ArrayList<>();
        List<Attribute> keyAtts = new ArrayList<>();
        for (short k : keys) {
            attnums.add((int) k);
            keyAtts.add(heapRel.desc().get(k - 1));
        }
        IndexRelation ir = new IndexRelation(locator(ic), indexOid, ic.s(CatalogTables.RELNAME), heapRel, attnums,
                new TupleDesc(keyAtts), ix.b(4), fillfactor(ic, IndexRelation.DEFAULT_FILLFACTOR));
        boolean constraint = false;
        for (Row r : constraintsOf.getOrDefault(ix.i(1), List.of())) {
            constraint |= r.i(9) == indexOid && (r.c(3) == 'p' || r.c(3) == 'u');
        }
        return new IndexInfo(indexOid, ir.name(), ir, ix.b(6), constraint);
    }

    static ConstraintInfo constraintInfo(Row r) {
        return new ConstraintInfo(r.i(0), r.s(1), r.c(3), ints((short[]) r.v()[18]), r.i(9), r.i(11),
                ints((short[]) r.v()[19]), r.c(12), r.c(13));
    }

    static List<Integer> ints(short[] v) {
        List<Integer> out = new ArrayList<>();
        if (v != null) {
            for (short s : v) {
                out.add((int) s);
            }
        }
        return out;
    }
}
