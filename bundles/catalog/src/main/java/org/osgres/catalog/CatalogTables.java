/*
 * CatalogTables: the bootstrap catalogs' oids, names and row types (PostgreSQL: the
 * catalog/pg_*.h headers with their CATALOG() macros, and genbki's column lists).
 *
 * Each catalog has PostgreSQL 15's columns in PostgreSQL's order (checked against the
 * reference server's pg_attribute in CatalogTablesTest); its relfilenode is its oid (PostgreSQL
 * maps pg_class, pg_attribute, pg_type and pg_database through pg_filenode.map instead).
 * Columns of types osgres cannot fill yet (aclitem[], anyarray, most oid[]) hold NULL.
 *
 * Entry points: ALL, relation(), the column index constants (Anum_* - 1).
 * See also: Bootstrap -- writes their rows at the first start; CatalogRows -- reads them.
 */
package org.osgres.catalog;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;

final class CatalogTables {
    /** FirstNormalObjectId: oids below it are bootstrap objects. */
    static final int FIRST_NORMAL_OBJECT_ID = 16384;
    static final int PG_CATALOG_NAMESPACE = 11;
    static final int PG_TOAST_NAMESPACE = 99;
    static final int PUBLIC_NAMESPACE = 2200;
    /** BOOTSTRAP_SUPERUSERID. */
    static final int BOOTSTRAP_SUPERUSER = 10;
    static final int HEAP_AM = 2;
    static final int BTREE_AM = 403;
    /** DEFAULT_COLLATION_OID and C_COLLATION_OID. */
    static final int DEFAULT_COLLATION = 100;
    static final int C_COLLATION = 950;

    /** One catalog: oid (= relfilenode), name, shared (global/) or per database, columns, row type oid. */
    record Catalog(int oid, String name, boolean shared, int rowType, TupleDesc desc) {
        Relation relation(int dbOid) {
            RelFileLocator loc = shared ? new RelFileLocator(RelFileLocator.GLOBAL_TABLESPACE_OID, 0, oid)
                    : RelFileLocator.of(dbOid, oid);
            return Relation.of(loc, oid, name, desc);
        }
    }

    static final Catalog PG_TYPE = new Catalog(1247, "pg_type", false, 71, desc(
            "oid", Attribute.OID, "typname", Attribute.NAME, "typnamespace", Attribute.OID, "typowner", Attribute.OID,
            "typlen", Attribute.INT2, "typbyval", Attribute.BOOL, "typtype", Attribute.CHAR, "typcategory", Attribute.CHAR,
            "typispreferred", Attribute.BOOL, "typisdefined", Attribute.BOOL, "typdelim", Attribute.CHAR,
            "typrelid", Attribute.OID, "typsubscript", Attribute.REGPROC, "typelem", Attribute.OID,
            "typarray", Attribute.OID, "typinput", Attribute.REGPROC, "typoutput", Attribute.REGPROC,
            "typreceive", Attribute.REGPROC, "typsend", Attribute.REGPROC, "typmodin", Attribute.REGPROC,
            "typmodout", Attribute.REGPROC, "typanalyze", Attribute.REGPROC, "typalign", Attribute.CHAR,
            "typstorage", Attribute.CHAR, "typnotnull", Attribute.BOOL, "typbasetype", Attribute.OID,
            "typtypmod", Attribute.INT4, "typndims", Attribute.INT4, "typcollation", Attribute.OID,
            "typdefaultbin", -Attribute.PG_NODE_TREE, "typdefault", -Attribute.TEXT, "typacl", -Attribute.ACLITEM_ARRAY));

    static final Catalog PG_ATTRIBUTE = new Catalog(1249, "pg_attribute", false, 75, desc(
            "attrelid", Attribute.OID, "attname", Attribute.NAME, "atttypid", Attribute.OID,
            "attstattarget", Attribute.INT4, "attlen", Attribute.INT2, "attnum", Attribute.INT2,
            "attndims", Attribute.INT4, "attcacheoff", Attribute.INT4, "atttypmod", Attribute.INT4,
            "attbyval", Attribute.BOOL, "attalign", Attribute.CHAR, "attstorage", Attribute.CHAR,
            "attcompression", Attribute.CHAR, "attnotnull", Attribute.BOOL, "atthasdef", Attribute.BOOL,
            "atthasmissing", Attribute.BOOL, "attidentity", Attribute.CHAR, "attgenerated", Attribute.CHAR,
            "attisdropped", Attribute.BOOL, "attislocal", Attribute.BOOL, "attinhcount", Attribute.INT4,
            "attcollation", Attribute.OID, "attacl", -Attribute.ACLITEM_ARRAY, "attoptions", -Attribute.TEXT_ARRAY,
            "attfdwoptions", -Attribute.TEXT_ARRAY, "attmissingval", -Attribute.ANYARRAY));

    static final Catalog PG_CLASS = new Catalog(1259, "pg_class", false, 83, desc(
            "oid", Attribute.OID, "relname", Attribute.NAME, "relnamespace", Attribute.OID, "reltype", Attribute.OID,
            "reloftype", Attribute.OID, "relowner", Attribute.OID, "relam", Attribute.OID,
            "relfilenode", Attribute.OID, "reltablespace", Attribute.OID, "relpages", Attribute.INT4,
            "reltuples", Attribute.FLOAT4, "relallvisible", Attribute.INT4, "reltoastrelid", Attribute.OID,
            "relhasindex", Attribute.BOOL, "relisshared", Attribute.BOOL, "relpersistence", Attribute.CHAR,
            "relkind", Attribute.CHAR, "relnatts", Attribute.INT2, "relchecks", Attribute.INT2,
            "relhasrules", Attribute.BOOL, "relhastriggers", Attribute.BOOL, "relhassubclass", Attribute.BOOL,
            "relrowsecurity", Attribute.BOOL, "relforcerowsecurity", Attribute.BOOL,
            "relispopulated", Attribute.BOOL, "relreplident", Attribute.CHAR, "relispartition", Attribute.BOOL,
            "relrewrite", Attribute.OID, "relfrozenxid", Attribute.XID, "relminmxid", Attribute.XID,
            "relacl", -Attribute.ACLITEM_ARRAY, "reloptions", -Attribute.TEXT_ARRAY,
            "relpartbound", -Attribute.PG_NODE_TREE));

    static final Catalog PG_DATABASE = new Catalog(1262, "pg_database", true, 1248, desc(
            "oid", Attribute.OID, "datname", Attribute.NAME, "datdba", Attribute.OID, "encoding", Attribute.INT4,
            "datlocprovider", Attribute.CHAR, "datistemplate", Attribute.BOOL, "datallowconn", Attribute.BOOL,
            "datconnlimit", Attribute.INT4, "datfrozenxid", Attribute.XID, "datminmxid", Attribute.XID,
            "dattablespace", Attribute.OID, "datcollate", Attribute.TEXT, "datctype", Attribute.TEXT,
            "daticulocale", -Attribute.TEXT, "datcollversion", -Attribute.TEXT, "datacl", -Attribute.ACLITEM_ARRAY));

    static final Catalog PG_ATTRDEF = new Catalog(2604, "pg_attrdef", false, 10001, desc(
            "oid", Attribute.OID, "adrelid", Attribute.OID, "adnum", Attribute.INT2, "adbin", Attribute.PG_NODE_TREE));

    static final Catalog PG_CONSTRAINT = new Catalog(2606, "pg_constraint", false, 10003, desc(
            "oid", Attribute.OID, "conname", Attribute.NAME, "connamespace", Attribute.OID, "contype", Attribute.CHAR,
            "condeferrable", Attribute.BOOL, "condeferred", Attribute.BOOL, "convalidated", Attribute.BOOL,
            "conrelid", Attribute.OID, "contypid", Attribute.OID, "conindid", Attribute.OID,
            "conparentid", Attribute.OID, "confrelid", Attribute.OID, "confupdtype", Attribute.CHAR,
            "confdeltype", Attribute.CHAR, "confmatchtype", Attribute.CHAR, "conislocal", Attribute.BOOL,
            "coninhcount", Attribute.INT4, "connoinherit", Attribute.BOOL, "conkey", -Attribute.INT2_ARRAY,
            "confkey", -Attribute.INT2_ARRAY, "conpfeqop", -Attribute.OID_ARRAY, "conppeqop", -Attribute.OID_ARRAY,
            "conffeqop", -Attribute.OID_ARRAY, "confdelsetcols", -Attribute.INT2_ARRAY,
            "conexclop", -Attribute.OID_ARRAY, "conbin", -Attribute.PG_NODE_TREE));

    static final Catalog PG_INDEX = new Catalog(2610, "pg_index", false, 10007, desc(
            "indexrelid", Attribute.OID, "indrelid", Attribute.OID, "indnatts", Attribute.INT2,
            "indnkeyatts", Attribute.INT2, "indisunique", Attribute.BOOL, "indnullsnotdistinct", Attribute.BOOL,
            "indisprimary", Attribute.BOOL, "indisexclusion", Attribute.BOOL, "indimmediate", Attribute.BOOL,
            "indisclustered", Attribute.BOOL, "indisvalid", Attribute.BOOL, "indcheckxmin", Attribute.BOOL,
            "indisready", Attribute.BOOL, "indislive", Attribute.BOOL, "indisreplident", Attribute.BOOL,
            "indkey", Attribute.INT2VECTOR, "indcollation", Attribute.OIDVECTOR, "indclass", Attribute.OIDVECTOR,
            "indoption", Attribute.INT2VECTOR, "indexprs", -Attribute.PG_NODE_TREE, "indpred", -Attribute.PG_NODE_TREE));

    static final Catalog PG_NAMESPACE = new Catalog(2615, "pg_namespace", false, 10047, desc(
            "oid", Attribute.OID, "nspname", Attribute.NAME, "nspowner", Attribute.OID, "nspacl", -Attribute.ACLITEM_ARRAY));

    /** The catalogs in oid order; pg_database is the shared one. */
    static final List<Catalog> ALL = List.of(PG_TYPE, PG_ATTRIBUTE, PG_CLASS, PG_DATABASE, PG_ATTRDEF, PG_CONSTRAINT,
            PG_INDEX, PG_NAMESPACE);

    // pg_class columns (Anum_pg_class_* - 1)
    static final int RELNAME = 1;
    static final int RELNAMESPACE = 2;
    static final int RELOWNER = 5;
    static final int RELFILENODE = 7;
    static final int RELHASINDEX = 13;
    static final int RELKIND = 16;
    static final int RELOPTIONS = 31;
    // pg_attribute
    static final int ATTNAME = 1;
    static final int ATTTYPID = 2;
    static final int ATTNUM = 5;
    static final int ATTTYPMOD = 8;
    static final int ATTNOTNULL = 13;
    // pg_database
    static final int DATNAME = 1;

    private CatalogTables() {
    }

    /**
     * A row type from (name, type) pairs; a negative type is a nullable column, a positive one
     * NOT NULL (as the catalogs' attnotnull).
     */
    private static TupleDesc desc(Object... nameTypes) {
        List<Attribute> atts = new ArrayList<>();
        for (int i = 0; i < nameTypes.length; i += 2) {
            int type = (Integer) nameTypes[i + 1];
            atts.add(Attribute.of((String) nameTypes[i], Math.abs(type)).withNotNull(type > 0));
        }
        return new TupleDesc(atts);
    }

    /** The catalog with that oid, or null. */
    static Catalog byOid(int oid) {
        for (Catalog c : ALL) {
            if (c.oid() == oid) {
                return c;
            }
        }
        return null;
    }
}
