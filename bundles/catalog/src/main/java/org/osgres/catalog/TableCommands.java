/*
 * TableCommands: CREATE TABLE, DROP TABLE and TRUNCATE on the catalogs (PostgreSQL:
 * catalog/heap.c heap_create_with_catalog, heap_drop_with_catalog; commands/tablecmds.c
 * ExecuteTruncateGuts; catalog/dependency.c for what DROP takes along; catalog/storage.c
 * RelationCreateStorage and RelationDropStorage).
 *
 * Every command locks what it changes (AccessExclusiveLock on the relations, the name lock
 * on names it takes or frees), writes its catalog rows with the transaction's xid, and ends
 * with CommandCounterIncrement. New files are registered to go if the transaction aborts, old
 * ones to go when it commits.
 *
 * Entry points: createTable(), dropTable(), truncate().
 * See also: DatabaseCatalog; IndexCommands; CatalogRows.
 */
package org.osgres.catalog;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.IndexInfo;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.catalog.TableSpec;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.Relation;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.Transaction;
import org.osgres.catalog.CatalogRows.Row;

final class TableCommands {
    private final DatabaseCatalog db;
    private final CatalogContext ctx;

    TableCommands(DatabaseCatalog db) {
        this.db = db;
        this.ctx = db.ctx;
    }

    private Relation catalog(CatalogTables.Catalog c) {
        return c.relation(db.dbOid);
    }

    TableInfo createTable(Transaction tx, TableSpec spec, List<String> searchPath) {
        int namespace = DatabaseCatalog.creationNamespace(db.state(tx), spec.schema(), searchPath);
        db.lockName(tx, namespace, spec.name());
        DatabaseCatalog.Pending p = db.pending(tx);
        CatalogState s = db.state(tx);
        if (s.relation(namespace, spec.name()) != null) {
            throw new PgException(SqlState.DUPLICATE_TABLE, "relation \"" + spec.name() + "\" already exists");
        }
        List<Attribute> atts = new ArrayList<>();
        for (ColumnInfo c : spec.columns()) {
            try {
                atts.add(Attribute.of(c.name(), c.typeOid()).withNotNull(c.notNull()));
            } catch (IllegalArgumentException e) {
                throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "columns of type " + c.typeOid()
                        + " cannot be stored yet");
            }
        }
        int oid = ctx.oids().getNewObjectId();
        tx.lock(LockTag.relation(db.dbOid, oid), LockMode.ACCESS_EXCLUSIVE);
        String[] options = spec.fillfactor() == Relation.DEFAULT_FILLFACTOR ? null
                : new String[] {"fillfactor=" + spec.fillfactor()};
        ctx.insert(catalog(CatalogTables.PG_CLASS), tx, CatalogRows.pgClass(new CatalogRows.ClassSpec(oid, spec.name(),
                namespace, 0, CatalogTables.BOOTSTRAP_SUPERUSER, CatalogTables.HEAP_AM, oid, 0, false, 'r', atts.size(),
                options)));
        for (int i = 0; i < atts.size(); i++) {
            ColumnInfo c = spec.columns().get(i);
            ctx.insert(catalog(CatalogTables.PG_ATTRIBUTE), tx,
                    CatalogRows.pgAttribute(oid, i + 1, atts.get(i), c.typmod(), c.defaultExpr() != null));
            if (c.defaultExpr() != null) {
                ctx.insert(catalog(CatalogTables.PG_ATTRDEF), tx,
                        CatalogRows.pgAttrdef(ctx.oids().getNewObjectId(), oid, i + 1, c.defaultExpr()));
            }
        }
        RelFileLocator loc = RelFileLocator.of(db.dbOid, oid);
        p.dropOnAbort(loc);
        ctx.heap().createStorage(Relation.of(loc, oid, spec.name(), new org.osgres.api.heap.TupleDesc(atts)));
        db.changed(tx);
        return db.state(tx).tableInfo(oid);
    }

    List<String> dropTable(Transaction tx, int relOid, boolean cascade) {
        TableInfo t = db.lockedTable(tx, relOid, LockMode.ACCESS_EXCLUSIVE);
        CatalogState s = db.state(tx);
        Row cls = s.classes.get(relOid);
        int namespace = cls.i(CatalogTables.RELNAMESPACE);
        List<String> notices = new ArrayList<>();
        List<Row> foreign = new ArrayList<>();
        for (Row con : s.referencing.getOrDefault(relOid, List.of())) {
            if (con.i(7) != relOid) {
                foreign.add(con);
            }
        }
        if (!foreign.isEmpty() && !cascade) {
            StringBuilder detail = new StringBuilder();
            for (Row con : foreign) {
                detail.append(detail.isEmpty() ? "" : "\n").append("constraint ").append(con.s(1)).append(" on table ")
                        .append(s.classes.get(con.i(7)).s(CatalogTables.RELNAME)).append(" depends on table ")
                        .append(t.name());
            }
            throw new PgException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, "cannot drop table " + t.name()
                    + " because other objects depend on it").withDetail(detail.toString())
                    .withHint("Use DROP ... CASCADE to drop the dependent objects too.");
        }
        db.lockName(tx, namespace, t.name());
        DatabaseCatalog.Pending p = db.pending(tx);
        for (Row con : foreign) {
            tx.lock(LockTag.relation(db.dbOid, con.i(7)), LockMode.ACCESS_EXCLUSIVE);
            ctx.delete(catalog(CatalogTables.PG_CONSTRAINT), tx, con);
            notices.add("drop cascades to constraint " + con.s(1) + " on table "
                    + s.classes.get(con.i(7)).s(CatalogTables.RELNAME));
        }
        for (IndexInfo ix : t.indexes()) {
            deleteRelationRows(tx, s, ix.oid());
            ctx.delete(catalog(CatalogTables.PG_INDEX), tx, s.indexes.get(ix.oid()));
            p.dropOnCommit(ix.index().locator());
        }
        for (Row con : s.constraintsOf.getOrDefault(relOid, List.of())) {
            ctx.delete(catalog(CatalogTables.PG_CONSTRAINT), tx, con);
        }
        for (Row def : s.attrdefs.getOrDefault(relOid, List.of())) {
            ctx.delete(catalog(CatalogTables.PG_ATTRDEF), tx, def);
        }
        deleteRelationRows(tx, s, relOid);
        p.dropOnCommit(t.heap().locator());
        db.changed(tx);
        return notices;
    }

    /** The pg_class row and pg_attribute rows of a relation. */
    private void deleteRelationRows(Transaction tx, CatalogState s, int relOid) {
        for (Row a : s.attributesOf(relOid)) {
            ctx.delete(catalog(CatalogTables.PG_ATTRIBUTE), tx, a);
        }
        ctx.delete(catalog(CatalogTables.PG_CLASS), tx, s.classes.get(relOid));
    }

    void truncate(Transaction tx, List<Integer> relOids) {
        for (int relOid : relOids) {
            db.lockedTable(tx, relOid, LockMode.ACCESS_EXCLUSIVE);
        }
        DatabaseCatalog.Pending p = db.pending(tx);
        CatalogState s = db.state(tx);
        for (int relOid : relOids) {
            TableInfo t = s.tableInfo(relOid);
            Row cls = s.classes.get(relOid);
            RelFileLocator newHeap = setNewRelfilenode(tx, p, cls);
            ctx.heap().createStorage(new Relation(newHeap, relOid, t.name(), t.heap().desc(), t.heap().fillfactor()));
            for (IndexInfo ix : t.indexes()) {
                RelFileLocator newIndex = setNewRelfilenode(tx, p, s.classes.get(ix.oid()));
                IndexRelation old = ix.index();
                Relation heapRel = new Relation(newHeap, relOid, t.name(), t.heap().desc(), t.heap().fillfactor());
                ctx.indexAccess().createStorage(new IndexRelation(newIndex, old.relOid(), old.name(), heapRel,
                        old.keyAttnums(), old.keyDesc(), old.unique(), old.fillfactor()));
            }
        }
        db.changed(tx);
    }

    /** RelationSetNewRelfilenumber: a new oid as relfilenode, the old files go at commit. */
    private RelFileLocator setNewRelfilenode(Transaction tx, DatabaseCatalog.Pending p, Row cls) {
        int relfilenode = ctx.oids().getNewObjectId();
        Object[] v = cls.v().clone();
        v[CatalogTables.RELFILENODE] = relfilenode;
        ctx.update(catalog(CatalogTables.PG_CLASS), tx, cls, v);
        RelFileLocator loc = RelFileLocator.of(db.dbOid, relfilenode);
        p.dropOnAbort(loc);
        p.dropOnCommit(RelFileLocator.of(db.dbOid, cls.i(CatalogTables.RELFILENODE)));
        return loc;
    }
}
