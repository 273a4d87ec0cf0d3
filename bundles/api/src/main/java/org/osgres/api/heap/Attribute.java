package org.osgres.api.heap;

/**
 * One column as the heap stores it (PostgreSQL: the storage part of FormData_pg_attribute): the
 * type's length (-1 varlena), whether it is passed by value, its alignment ('c' 1, 's' 2, 'i' 4,
 * 'd' 8) and storage ('p' plain, 'x' extended, 'm' main) from pg_type.
 *
 * <p>Values are the Java objects the SQL engine uses: Boolean (bool), Short (int2), Integer
 * (int4), Long (int8), Double (float8), String (text, varchar, bpchar: stored as given, bpchar
 * already padded), BigDecimal (numeric), LocalDateTime (timestamp), LocalDate (date); null is
 * NULL.
 */
public record Attribute(String name, int typeOid, int len, boolean byVal, char align, char storage, boolean notNull) {
    public static final int BOOL = 16;
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
            case BOOL -> new Attribute(name, typeOid, 1, true, 'c', 'p', false);
            case INT2 -> new Attribute(name, typeOid, 2, true, 's', 'p', false);
            case INT4, DATE -> new Attribute(name, typeOid, 4, true, 'i', 'p', false);
            case INT8, FLOAT8, TIMESTAMP -> new Attribute(name, typeOid, 8, true, 'd', 'p', false);
            case TEXT, VARCHAR, BPCHAR -> new Attribute(name, typeOid, -1, false, 'i', 'x', false);
            case NUMERIC -> new Attribute(name, typeOid, -1, false, 'i', 'm', false);
            default -> throw new IllegalArgumentException("the heap cannot store type " + typeOid);
        };
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
