/*
 * IndexCommands: CREATE INDEX, PRIMARY KEY and UNIQUE constraints, and FOREIGN KEY constraints
 * (PostgreSQL: commands/indexcmds.c DefineIndex with ChooseRelationName/ChooseIndexName,
 * catalog/index.c index_create and index_constraint_create, commands/tablecmds.c
 * ATAddForeignKeyConstraint with transformFkeyCheckAttrs and RI_Initial_Check).
 *
 * An index gets a pg_class row (relkind 'i', relam btree), pg_attribute rows for its key
 * columns, a pg_index row, for a constraint a pg_constraint row of the same name, and its
 * storage and build through IndexAccess (the btree bundle). A primary key first checks for
 * NULLs and marks its columns NOT NULL. A foreign key needs a unique index on exactly the
 * referenced columns, checks every existing row, and is recorded in pg_constraint; enforcing
 * it on later changes is the executor's job.
 *
 * Entry points: createIndex(), addForeignKey(), makeObjectName().
 * See also: TableCommands; DatabaseCatalog.
 */
package org.osgres.catalog;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.ConstraintInfo;
import org.osgres.api.catalog.ForeignKeySpec;
import org.osgres.api.catalog.IndexInfo;
import org.osgres.api.catalog.IndexSpec;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.Transaction;
import org.osgres.catalog.CatalogRows.Row;

final class IndexCommands {
    private final DatabaseCatalog db;
    private final CatalogContext ctx;

    IndexCommands(DatabaseCatalog db) {
        this.db = db;
        this.ctx = db.ctx;
    }

    private Relation catalog(CatalogTables.Catalog c) {
        return c.relation(db.dbOid);
    }

    IndexInfo createIndex(Transaction tx, IndexSpec spec) {
        // DefineIndex takes ShareLock; ALTER TABLE ... ADD CONSTRAINT takes AccessExclusiveLock
        TableInfo t = db.lockedTable(tx, spec.tableOid(), spec.constraint() ? LockMode.ACCESS_EXCLUSIVE : LockMode.SHARE);
        CatalogState s = db.state(tx);
        int namespace = s.classes.get(t.oid()).i(CatalogTables.RELNAMESPACE);
        List<String> colNames = new ArrayList<>();
        for (int attnum : spec.columns()) {
            colNames.add(t.columns().get(attnum - 1).name());
        }
        String name = spec.name();
        if (name == null) {
            String label = spec.primary() ? "pkey" : spec.constraint() ? "key" : "idx";
            name = chooseRelationName(s, t.name(), spec.primary() ? "" : String.join("_", colNames), label, namespace);
        }
        db.lockName(tx, namespace, name);
        DatabaseCatalog.Pending p = db.pending(tx);
        s = db.state(tx);
        if (s.relation(namespace, name) != null) {
            if (spec.ifNotExists()) {
                return null;
            }
            throw new PgException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
        }
        if (spec.primary() && t.primaryKey().isPresent()) {
            throw new PgException(SqlState.INVALID_TABLE_DEFINITION, "multiple primary keys for table \"" + t.name()
                    + "\" are not allowed");
        }
        if (spec.primary()) {
            setNotNull(tx, s, t, spec.columns());
        }
        int oid = ctx.oids().getNewObjectId();
        tx.lock(LockTag.relation(db.dbOid, oid), LockMode.ACCESS_EXCLUSIVE);
        List<Attribute> keyAtts = new ArrayList<>();
        short[] keys = new short[spec.columns().size()];
        int[] keyTypes = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            int attnum = spec.columns().get(i);
            keys[i] = (short) attnum;
            keyAtts.add(t.heap().desc().get(attnum - 1).withNotNull(spec.primary()));
            keyTypes[i] = keyAtts.get(i).typeOid();
        }
        boolean unique = spec.unique() || spec.primary();
        ctx.insert(catalog(CatalogTables.PG_CLASS), tx, CatalogRows.pgClass(new CatalogRows.ClassSpec(oid, name, namespace,
                0, CatalogTables.BOOTSTRAP_SUPERUSER, CatalogTables.BTREE_AM, oid, 0, false, 'i', keys.length, null)));
        for (int i = 0; i < keys.length; i++) {
            ctx.insert(catalog(CatalogTables.PG_ATTRIBUTE), tx, CatalogRows.pgAttribute(oid, i + 1, keyAtts.get(i),
                    t.columns().get(keys[i] - 1).typmod(), false));
        }
        ctx.insert(catalog(CatalogTables.PG_INDEX), tx, CatalogRows.pgIndex(oid, t.oid(), keys, keyTypes, unique,
                spec.primary()));
        if (spec.constraint()) {
            ctx.insert(catalog(CatalogTables.PG_CONSTRAINT), tx, CatalogRows.pgConstraint(ctx.oids().getNewObjectId(),
                    name, namespace, spec.primary() ? 'p' : 'u', t.oid(), oid, 0, ' ', ' ', keys, null));
        }
        Row cls = s.classes.get(t.oid());
        if (!cls.b(CatalogTables.RELHASINDEX)) {
            Object[] v = cls.v().clone();
            v[CatalogTables.RELHASINDEX] = true;
            ctx.update(catalog(CatalogTables.PG_CLASS), tx, cls, v);
        }
        RelFileLocator loc = RelFileLocator.of(db.dbOid, oid);
        p.dropOnAbort(loc);
        IndexRelation ir = new IndexRelation(loc, oid, name, t.heap(), spec.columns(), new TupleDesc(keyAtts), unique,
                IndexRelation.DEFAULT_FILLFACTOR);
        IndexAccess ia = ctx.indexAccess();
        ia.createStorage(ir);
        db.changed(tx);
        ia.build(ir, tx);
        TableInfo after = db.state(tx).tableInfo(t.oid());
        return after.indexes().stream().filter(i -> i.oid() == oid).findFirst().orElseThrow();
    }

    /** A new primary key's columns become NOT NULL, after a check that no row has NULL there. */
    private void setNotNull(Transaction tx, CatalogState s, TableInfo t, List<Integer> columns) {
        List<Integer> check = new ArrayList<>();
        for (int attnum : columns) {
            if (!t.columns().get(attnum - 1).notNull()) {
                check.add(attnum);
            }
        }
        if (check.isEmpty()) {
            return;
        }
        try (HeapScan scan = ctx.heap().beginScan(t.heap(), tx, ctx.catalogSnapshot(tx))) {
            for (HeapTuple row = scan.next(); row != null; row = scan.next()) {
                for (int attnum : check) {
                    if (row.values()[attnum - 1] == null) {
                        throw new PgException(SqlState.NOT_NULL_VIOLATION, "column \""
                                + t.columns().get(attnum - 1).name() + "\" of relation \"" + t.name()
                                + "\" contains null values");
                    }
                }
            }
        }
        for (Row a : s.attributesOf(t.oid())) {
            if (check.contains(a.i(CatalogTables.ATTNUM))) {
                Object[] v = a.v().clone();
                v[CatalogTables.ATTNOTNULL] = true;
                ctx.update(catalog(CatalogTables.PG_ATTRIBUTE), tx, a, v);
            }
        }
    }

    ConstraintInfo addForeignKey(Transaction tx, ForeignKeySpec spec) {
        TableInfo t = db.lockedTable(tx, spec.tableOid(), LockMode.SHARE_ROW_EXCLUSIVE);
        TableInfo ref = spec.refTableOid() == spec.tableOid() ? t
                : db.lockedTable(tx, spec.refTableOid(), LockMode.SHARE_ROW_EXCLUSIVE);
        List<Integer> refColumns = spec.refColumns();
        IndexInfo refIndex;
        if (refColumns.isEmpty()) {
            // transformFkeyGetPrimaryKey
            refIndex = ref.primaryKey().orElseThrow(() -> new PgException(SqlState.UNDEFINED_OBJECT,
                    "there is no primary key for referenced table \"" + ref.name() + "\""));
            refColumns = refIndex.index().keyAttnums();
        } else {
            // transformFkeyCheckAttrs: a unique index on exactly these columns
            Set<Integer> want = new HashSet<>(refColumns);
            int n = refColumns.size();
            refIndex = ref.indexes().stream().filter(i -> i.unique() && want.size() == n
                    && new HashSet<>(i.index().keyAttnums()).equals(want)).findFirst()
                    .orElseThrow(() -> new PgException(SqlState.INVALID_FOREIGN_KEY,
                            "there is no unique constraint matching given keys for referenced table \"" + ref.name()
                                    + "\""));
        }
        if (refColumns.size() != spec.columns().size()) {
            throw new PgException(SqlState.INVALID_FOREIGN_KEY,
                    "number of referencing and referenced columns for foreign key disagree");
        }
        CatalogState s = db.state(tx);
        int namespace = s.classes.get(t.oid()).i(CatalogTables.RELNAMESPACE);
        String name = spec.name();
        List<String> colNames = new ArrayList<>();
        for (int attnum : spec.columns()) {
            colNames.add(t.columns().get(attnum - 1).name());
        }
        if (name == null) {
            name = chooseConstraintName(s, t.name(), String.join("_", colNames), "fkey", namespace);
        } else {
            for (Row con : s.constraintsOf.getOrDefault(t.oid(), List.of())) {
                if (con.s(1).equals(name)) {
                    throw new PgException(SqlState.DUPLICATE_OBJECT, "constraint \"" + name + "\" for relation \""
                            + t.name() + "\" already exists");
                }
            }
        }
        checkExistingRows(tx, t, ref, spec.columns(), refColumns, name, colNames);
        db.pending(tx);
        short[] keys = new short[spec.columns().size()];
        short[] refKeys = new short[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = spec.columns().get(i).shortValue();
            refKeys[i] = refColumns.get(i).shortValue();
        }
        int oid = ctx.oids().getNewObjectId();
        char onUpdate = spec.onUpdate() == 0 || spec.onUpdate() == ' ' ? 'a' : spec.onUpdate();
        char onDelete = spec.onDelete() == 0 || spec.onDelete() == ' ' ? 'a' : spec.onDelete();
        ctx.insert(catalog(CatalogTables.PG_CONSTRAINT), tx, CatalogRows.pgConstraint(oid, name, namespace, 'f', t.oid(),
                refIndex.oid(), ref.oid(), onUpdate, onDelete, keys, refKeys));
        db.changed(tx);
        return new ConstraintInfo(oid, name, 'f', spec.columns(), refIndex.oid(), ref.oid(), refColumns, onUpdate,
                onDelete);
    }

    /** RI_Initial_Check: every row whose key has no NULL must find its referenced row. */
    private void checkExistingRows(Transaction tx, TableInfo t, TableInfo ref, List<Integer> columns,
            List<Integer> refColumns, String name, List<String> colNames) {
        Set<List<Object>> present = new HashSet<>();
        try (HeapScan scan = ctx.heap().beginScan(ref.heap(), tx, ctx.catalogSnapshot(tx))) {
            for (HeapTuple row = scan.next(); row != null; row = scan.next()) {
                present.add(key(row.values(), refColumns));
            }
        }
        try (HeapScan scan = ctx.heap().beginScan(t.heap(), tx, ctx.catalogSnapshot(tx))) {
            for (HeapTuple row = scan.next(); row != null; row = scan.next()) {
                List<Object> k = key(row.values(), columns);
                if (!k.contains(null) && !present.contains(k)) {
                    StringBuilder vals = new StringBuilder();
                    for (int i = 0; i < columns.size(); i++) {
                        vals.append(i == 0 ? "" : ", ").append(row.values()[columns.get(i) - 1]);
                    }
                    throw new PgException(SqlState.FOREIGN_KEY_VIOLATION, "insert or update on table \"" + t.name()
                            + "\" violates foreign key constraint \"" + name + "\"")
                            .withDetail("Key (" + String.join(", ", colNames) + ")=(" + vals + ") is not present in table \""
                                    + ref.name() + "\".");
                }
            }
        }
    }

    /** A key for equality across integer widths and numeric scales. */
    private static List<Object> key(Object[] values, List<Integer> columns) {
        List<Object> k = new ArrayList<>();
        for (int attnum : columns) {
            Object v = values[attnum - 1];
            if (v instanceof Short || v instanceof Integer || v instanceof Long) {
                v = ((Number) v).longValue();
            } else if (v instanceof BigDecimal b) {
                v = b.stripTrailingZeros();
            }
            k.add(v);
        }
        return k;
    }

    /** ChooseRelationName: name1_name2_label, then label1, label2... until no relation of the namespace has it. */
    static String chooseRelationName(CatalogState s, String name1, String name2, String label, int namespace) {
        for (int pass = 0;; pass++) {
            String candidate = makeObjectName(name1, name2, pass == 0 ? label : label + pass);
            if (s.relation(namespace, candidate) == null) {
                return candidate;
            }
        }
    }

    /** ChooseConstraintName: as ChooseRelationName, against the namespace's constraint names. */
    static String chooseConstraintName(CatalogState s, String name1, String name2, String label, int namespace) {
        for (int pass = 0;; pass++) {
            String candidate = makeObjectName(name1, name2, pass == 0 ? label : label + pass);
            if (!s.constraintNameExists(namespace, candidate)) {
                return candidate;
            }
        }
    }

    /**
     * makeObjectName: name1[_name2][_label], cutting the longer of name1 and name2 (by whole
     * characters) until the result fits NAMEDATALEN - 1 bytes.
     */
    static String makeObjectName(String name1, String name2, String label) {
        int overhead = label == null ? 0 : utf8(label) + 1;
        if (name2 != null && !name2.isEmpty()) {
            overhead++;
        }
        int avail = Attribute.NAMEDATALEN - 1 - overhead;
        String n1 = name1;
        String n2 = name2 == null ? "" : name2;
        while (utf8(n1) + utf8(n2) > avail) {
            if (utf8(n1) > utf8(n2)) {
                n1 = n1.substring(0, n1.offsetByCodePoints(n1.length(), -1));
            } else {
                n2 = n2.substring(0, n2.offsetByCodePoints(n2.length(), -1));
            }
        }
        StringBuilder sb = new StringBuilder(n1);
        if (!n2.isEmpty()) {
            sb.append('_').append(n2);
        }
        if (label != null) {
            sb.append('_').append(label);
        }
        return sb.toString();
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The column names of attnums (for messages). */
    static List<String> names(TableInfo t, List<Integer> attnums) {
        List<String> out = new ArrayList<>();
        for (int a : attnums) {
            out.add(t.columns().stream().filter(c -> c.attnum() == a).map(ColumnInfo::name).findFirst().orElse("?"));
        }
        return out;
    }
}
