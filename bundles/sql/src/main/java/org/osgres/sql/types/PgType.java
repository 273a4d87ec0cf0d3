package org.osgres.sql.types;

import java.util.Locale;

/*
 * PgType: the built-in data types osgres knows (PostgreSQL: catalog/pg_type.dat, and
 * utils/adt/format_type.c for the names error messages use).
 *
 * Each type has PostgreSQL's OID, typname, typlen, type category and "preferred" flag, which
 * the analyzer's operator and function resolution depend on (parse_func.c func_select_candidate).
 * Values are held as Java objects: Boolean, Short, Integer, Long (int8 and oid), BigDecimal or
 * Numerics.NAN (numeric), Float, Double, String (text-like and unknown), byte[] (bytea),
 * LocalDate, LocalDateTime and OffsetDateTime, String[] (text[]).
 *
 * Entry points: byOid(), byName() (typname or SQL alias), displayName(typmod).
 */
public enum PgType {
    BOOL(16, "bool", "boolean", 1, 'B', true),
    BYTEA(17, "bytea", "bytea", -1, 'U', false),
    NAME(19, "name", "name", 64, 'S', false),
    INT8(20, "int8", "bigint", 8, 'N', false),
    INT2(21, "int2", "smallint", 2, 'N', false),
    INT4(23, "int4", "integer", 4, 'N', false),
    TEXT(25, "text", "text", -1, 'S', true),
    OID(26, "oid", "oid", 4, 'N', true),
    FLOAT4(700, "float4", "real", 4, 'N', false),
    FLOAT8(701, "float8", "double precision", 8, 'N', true),
    UNKNOWN(705, "unknown", "unknown", -2, 'X', false),
    BPCHAR(1042, "bpchar", "character", -1, 'S', false),
    VARCHAR(1043, "varchar", "character varying", -1, 'S', false),
    DATE(1082, "date", "date", 4, 'D', false),
    TIMESTAMP(1114, "timestamp", "timestamp without time zone", 8, 'D', false),
    TIMESTAMPTZ(1184, "timestamptz", "timestamp with time zone", 8, 'D', true),
    NUMERIC(1700, "numeric", "numeric", -1, 'N', false),
    VOID(2278, "void", "void", 4, 'P', false),
    /** xid: a 32-bit transaction id, held as Long. */
    XID(28, "xid", "xid", 4, 'U', false),
    /** tid: a tuple's address (ctid), held as org.osgres.api.heap.ItemPointer. */
    TID(27, "tid", "tid", 6, 'U', false),
    /** pg_lsn: a WAL position, held as Long, printed "0/16B3748". */
    PG_LSN(3220, "pg_lsn", "pg_lsn", 8, 'U', false),
    /** inet: held as the address text, as system views give it. */
    INET(869, "inet", "inet", -1, 'I', false),
    /** text[]: held as String[] (elements may be null). */
    TEXT_ARRAY(1009, "_text", "text[]", -1, 'A', false),
    /** The "any" pseudo-type of variadic functions such as concat(). */
    ANY(2276, "any", "\"any\"", 4, 'P', false);

    public static final char CATEGORY_STRING = 'S';

    private final int oid;
    private final String typname;
    private final String formatName;
    private final short typlen;
    private final char category;
    private final boolean preferred;

    PgType(int oid, String typname, String formatName, int typlen, char category, boolean preferred) {
        this.oid = oid;
        this.typname = typname;
        this.formatName = formatName;
        this.typlen = (short) typlen;
        this.category = category;
        this.preferred = preferred;
    }

    public int oid() {
        return oid;
    }

    /** pg_type.typname, which is also what a cast's result column is called. */
    public String typname() {
        return typname;
    }

    public short typlen() {
        return typlen;
    }

    public char category() {
        return category;
    }

    public boolean preferred() {
        return preferred;
    }

    /** format_type_be(): the name messages use ("integer", "character varying"). */
    public String displayName() {
        return formatName;
    }

    /** format_type_with_typemod(): "character varying(10)", "numeric(5,2)". */
    public String displayName(int typmod) {
        if (typmod < 0) {
            return formatName;
        }
        return switch (this) {
            case VARCHAR, BPCHAR -> formatName + "(" + (typmod - 4) + ")";
            case NUMERIC -> formatName + "(" + (((typmod - 4) >> 16) & 0xffff) + "," + ((typmod - 4) & 0xffff) + ")";
            default -> formatName;
        };
    }

    public boolean isStringCategory() {
        return category == CATEGORY_STRING;
    }

    public static PgType byOid(int oid) {
        for (PgType t : values()) {
            if (t.oid == oid) {
                return t;
            }
        }
        return null;
    }

    /**
     * A type by typname or by the SQL spelling the grammar maps to it (gram.y SystemTypeName and
     * the aliases integer, bigint, real, ...). Returns null when unknown.
     */
    public static PgType byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "bool", "boolean" -> BOOL;
            case "bytea" -> BYTEA;
            case "name" -> NAME;
            case "int8", "bigint" -> INT8;
            case "int2", "smallint" -> INT2;
            case "int4", "int", "integer" -> INT4;
            case "text" -> TEXT;
            case "oid" -> OID;
            case "float4", "real" -> FLOAT4;
            case "float8", "float", "double precision" -> FLOAT8;
            case "unknown" -> UNKNOWN;
            case "bpchar", "char", "character" -> BPCHAR;
            case "varchar", "character varying" -> VARCHAR;
            case "date" -> DATE;
            case "timestamp", "timestamp without time zone" -> TIMESTAMP;
            case "timestamptz", "timestamp with time zone" -> TIMESTAMPTZ;
            case "numeric", "decimal", "dec" -> NUMERIC;
            case "void" -> VOID;
            case "xid" -> XID;
            case "tid" -> TID;
            case "pg_lsn" -> PG_LSN;
            case "inet" -> INET;
            case "_text", "text[]" -> TEXT_ARRAY;
            default -> null;
        };
    }
}
