/*
 * CatalogRows: forms the catalogs' rows (PostgreSQL: the values arrays of heap.c
 * InsertPgClassTuple, InsertPgAttributeTuples, StoreAttrDefault; index.c UpdateIndexRelation;
 * pg_constraint.c CreateConstraintEntry; namespace rows; dbcommands.c createdb's pg_database
 * row), with PostgreSQL's values in the columns osgres does not use yet.
 *
 * Entry points: pgClass(), pgAttribute(), pgAttrdef(), pgIndex(), pgConstraint(), pgNamespace(),
 * pgDatabase(), pgTypeRows(), Row (a row read back with its tid).
 * See also: CatalogTables -- the columns; CatalogState -- reads the rows back.
 */
package org.osgres.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.xact.TransactionIds;

final class CatalogRows {
    /** PG_UTF8. */
    static final int UTF8_ENCODING = 6;
    /** The locale initdb reports (datcollate, datctype). */
    static final String LOCALE = "C.UTF-8";
    /** The first multixact id (relminmxid of a new table). */
    static final int FIRST_MULTIXACT_ID = 1;

    private static final Map<Integer, Object[]> TYPES = loadTypes();
    private static final Map<Integer, Integer> OPCLASSES = loadOpclasses();

    private CatalogRows() {
    }

    /** A catalog row as read, with its address for update and delete. */
    record Row(ItemPointer tid, Object[] v) {
        int i(int col) {
            return ((Number) v[col]).intValue();
        }

        String s(int col) {
            return (String) v[col];
        }

        boolean b(int col) {
            return (Boolean) v[col];
        }

        char c(int col) {
            String s = (String) v[col];
            return s.isEmpty() ? '\0' : s.charAt(0);
        }
    }

    /** What a new pg_class row says (InsertPgClassTuple's inputs). */
    record ClassSpec(int oid, String name, int namespace, int rowType, int owner, int am, int relfilenode,
            int tablespace, boolean shared, char kind, int natts, String[] options) {
    }

    static Object[] pgClass(ClassSpec c) {
        boolean index = c.kind() == 'i';
        boolean catalog = c.oid() < CatalogTables.FIRST_NORMAL_OBJECT_ID;
        return new Object[] {c.oid(), c.name(), c.namespace(), c.rowType(), 0, c.owner(), c.am(), c.relfilenode(),
            c.tablespace(), 0, -1f, 0, 0, false, c.shared(), "p", String.valueOf(c.kind()), (short) c.natts(),
            (short) 0, false, false, false, false, false, true, index || catalog ? "n" : "d", false, 0,
            index ? TransactionIds.INVALID : TransactionIds.FIRST_NORMAL, index ? 0 : FIRST_MULTIXACT_ID, null,
            c.options(), null};
    }

    /** attcollation for a column of the type: C for name, the default collation for text types. */
    static int collationOf(int typeOid, boolean catalog) {
        return switch (typeOid) {
            case Attribute.NAME -> CatalogTables.C_COLLATION;
            case Attribute.TEXT, Attribute.VARCHAR, Attribute.BPCHAR -> catalog ? CatalogTables.C_COLLATION
                    : CatalogTables.DEFAULT_COLLATION;
            default -> 0;
        };
    }

    static Object[] pgAttribute(int relOid, int attnum, Attribute att, int typmod, boolean hasDefault) {
        boolean catalog = relOid < CatalogTables.FIRST_NORMAL_OBJECT_ID;
        return new Object[] {relOid, att.name(), att.typeOid(), -1, (short) att.len(), (short) attnum, 0, -1, typmod,
            att.byVal(), String.valueOf(att.align()), String.valueOf(att.storage()), "", att.notNull(), hasDefault,
            false, "", "", false, true, 0, collationOf(att.typeOid(), catalog), null, null, null, null};
    }

    /** A default: adbin holds the expression's SQL text (PostgreSQL stores its node tree). */
    static Object[] pgAttrdef(int oid, int relOid, int attnum, String expr) {
        return new Object[] {oid, relOid, (short) attnum, expr};
    }

    static Object[] pgIndex(int indexOid, int relOid, short[] keys, int[] keyTypes, boolean unique, boolean primary) {
        int[] collations = new int[keys.length];
        int[] classes = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            collations[i] = collationOf(keyTypes[i], false);
            classes[i] = OPCLASSES.getOrDefault(keyTypes[i], 0);
        }
        return new Object[] {indexOid, relOid, (short) keys.length, (short) keys.length, unique, false, primary, false,
            true, false, true, false, true, true, false, keys, collations, classes, new short[keys.length], null, null};
    }

    static Object[] pgConstraint(int oid, String name, int namespace, char type, int relOid, int indexOid,
            int refRelOid, char onUpdate, char onDelete, short[] keys, short[] refKeys) {
        boolean fk = type == 'f';
        return new Object[] {oid, name, namespace, String.valueOf(type), false, false, true, relOid, 0, indexOid, 0,
            refRelOid, String.valueOf(onUpdate), String.valueOf(onDelete), fk ? "s" : " ", true, 0, type == 'p',
            keys, fk ? refKeys : null, null, null, null, null, null, null};
    }

    static Object[] pgNamespace(int oid, String name, int owner) {
        return new Object[] {oid, name, owner, null};
    }

    static Object[] pgDatabase(int oid, String name, int owner, boolean isTemplate, boolean allowConn, int frozenXid) {
        return new Object[] {oid, name, owner, UTF8_ENCODING, "c", isTemplate, allowConn, -1, frozenXid,
            FIRST_MULTIXACT_ID, org.osgres.api.buffer.RelFileLocator.DEFAULT_TABLESPACE_OID, LOCALE, LOCALE, null, null,
            null};
    }

    /** The pg_type rows initdb writes (recorded from PostgreSQL 15 into pg_type.tsv). */
    static List<Object[]> pgTypeRows() {
        List<Object[]> rows = new ArrayList<>();
        for (Object[] r : TYPES.values()) {
            rows.add(r.clone());
        }
        rows.sort((a, b) -> Integer.compare((Integer) a[0], (Integer) b[0]));
        return rows;
    }

    /** typlen, typbyval... of a type osgres has a pg_type row for, or null. */
    static Object[] type(int typeOid) {
        return TYPES.get(typeOid);
    }

    private static Map<Integer, Object[]> loadTypes() {
        Map<Integer, Object[]> types = new HashMap<>();
        for (String line : resourceLines("pg_type.tsv")) {
            String[] f = line.split("\t", -1);
            Object[] v = new Object[CatalogTables.PG_TYPE.desc().size()];
            for (int i = 0; i < f.length; i++) {
                int type = CatalogTables.PG_TYPE.desc().get(i).typeOid();
                v[i] = switch (type) {
                    case Attribute.OID, Attribute.REGPROC -> Integer.parseUnsignedInt(f[i]);
                    case Attribute.INT4 -> Integer.parseInt(f[i]);
                    case Attribute.INT2 -> Short.parseShort(f[i]);
                    case Attribute.BOOL -> f[i].equals("t");
                    default -> f[i];
                };
            }
            types.put((Integer) v[0], v);
        }
        return types;
    }

    private static Map<Integer, Integer> loadOpclasses() {
        Map<Integer, Integer> m = new HashMap<>();
        for (String line : resourceLines("btree_opclass.tsv")) {
            String[] f = line.split("\t");
            m.put(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
        }
        m.put(Attribute.VARCHAR, m.get(Attribute.TEXT)); // varchar uses text_ops
        return m;
    }

    private static List<String> resourceLines(String name) {
        try (InputStream in = CatalogRows.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            List<String> lines = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank()) {
                    lines.add(l);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
