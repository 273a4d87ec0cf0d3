package org.osgres.api.heap;

/**
 * One column as the heap stores it (PostgreSQL: the storage part of FormData_pg_attribute): the
 * type's length (-1 varlena), whether it is passed by value, its alignment ('c' 1, 's' 2, 'i' 4,
 * 'd' 8) and storage ('p' plain, 'x' extended, 'm' main) from pg_type.
 *
 * <p>Values are the Java objects the SQL engine uses: Boolean (bool), Short (int2), Integer
 * (int4), Long (int8), Double (float8), String (text, varchar, bpchar: stored as given, bpchar
 * already padded), BigDecimal (numeric), LocalDateTime (timestamp), LocalDate (date); null is
 * NULL. Since 1.1 also the catalogs' types: name (String, NAMEDATALEN 64 bytes fixed, at most 63
 * bytes of UTF-8), oid, regproc and xid (Integer, unsigned), "char" (String of one character,
 * "" for the zero byte), float4 (Float), pg_node_tree (String), int2vector and int2[] (short[]),
 * oidvector and oid[] (int[]), text[] (String[], one dimension, no NULL elements). Columns of
 * aclitem[] and anyarray can be described but hold only NULL for now.
 */
public record Attribute(String name, int typeOid, int len, boolean byVal, char align, char storage, boolean notNull) {
    public static final int BOOL = 16;
    /** "char": one byte. @since 1.1 */
    public static final int CHAR = 18;
    /** name: NAMEDATALEN (64) bytes, zero padded. @since 1.1 */
    public static final int NAME = 19;
    /** @since 1.1 */
    public static final int INT2VECTOR = 22;
    /** @since 1.1 */
    public static final int REGPROC = 24;
    /** @since 1.1 */
    public static final int OID = 26;
    /** @since 1.1 */
    public static final int XID = 28;
    /** @since 1.1 */
    public static final int OIDVECTOR = 30;
    /** @since 1.1 */
    public static final int PG_NODE_TREE = 194;
    /** @since 1.1 */
    public static final int FLOAT4 = 700;
    /** int2[]. @since 1.1 */
    public static final int INT2_ARRAY = 1005;
    /** text[]: one dimension, no NULL elements. @since 1.1 */
    public static final int TEXT_ARRAY = 1009;
    /** oid[]. @since 1.1 */
    public static final int OID_ARRAY = 1028;
    /** aclitem[]: NULL only for now. @since 1.1 */
    public static final int ACLITEM_ARRAY = 1034;
    /** anyarray: NULL only for now. @since 1.1 */
    public static final int ANYARRAY = 2277;
    /** NAMEDATALEN: a name's size on disk, its terminating zero byte included. @since 1.1 */
    public static final int NAMEDATALEN = 64;
    public static final int INT8 = 20;
    public static final int INT2 = 21;
    public static final int INT4 = 23;
    public static final int TEXT = 25;
    public static final int FLOAT8 = 701;
    public static final int BPCHAR = 1042;
    public static final int VARCHAR = 1043;
    public static final int DATE = 1082;
    public static final int TIMESTAMP = 1114;
    public static final int NUMERIC = 1700;

    /**
     * A column of one of the types the heap stores, with pg_type's typlen, typbyval, typalign and
     * typstorage.
     *
     * @throws IllegalArgumentException for another type
     */
    public static Attribute of(String name, int typeOid) {
        return switch (typeOid) {
            case BOOL, CHAR -> new Attribute(name, typeOid, 1, true, 'c', 'p', false);
            case NAME -> new Attribute(name, typeOid, NAMEDATALEN, false, 'c', 'p', false);
            case INT2 -> new Attribute(name, typeOid, 2, true, 's', 'p', false);
            case INT4, DATE, OID, REGPROC, XID, FLOAT4 -> new Attribute(name, typeOid, 4, true, 'i', 'p', false);
            case INT8, FLOAT8, TIMESTAMP -> new Attribute(name, typeOid, 8, true, 'd', 'p', false);
            case TEXT, VARCHAR, BPCHAR, PG_NODE_TREE, INT2_ARRAY, OID_ARRAY, TEXT_ARRAY, ACLITEM_ARRAY ->
                new Attribute(name, typeOid, -1, false, 'i', 'x', false);
            case INT2VECTOR, OIDVECTOR -> new Attribute(name, typeOid, -1, false, 'i', 'p', false);
            case ANYARRAY -> new Attribute(name, typeOid, -1, false, 'd', 'x', false);
            case NUMERIC -> new Attribute(name, typeOid, -1, false, 'i', 'm', false);
            default -> throw new IllegalArgumentException("the heap cannot store type " + typeOid);
        };
    }

    /** The same column, NOT NULL or not (attnotnull). @since 1.1 */
    public Attribute withNotNull(boolean newNotNull) {
        return new Attribute(name, typeOid, len, byVal, align, storage, newNotNull);
    }

    /** The same column with another storage (ALTER TABLE ... SET STORAGE). */
    public Attribute withStorage(char newStorage) {
        return new Attribute(name, typeOid, len, byVal, align, newStorage, notNull);
    }

    /** The alignment in bytes. */
    public int alignment() {
        return switch (align) {
            case 'c' -> 1;
            case 's' -> 2;
            case 'i' -> 4;
            default -> 8;
        };
    }
}
