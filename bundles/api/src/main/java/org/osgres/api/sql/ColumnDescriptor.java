package org.osgres.api.sql;

/**
 * One field of a RowDescription.
 *
 * @param name            the column label
 * @param tableOid        the table's OID, or 0 when the column is not a plain table column
 * @param attributeNumber the column's attribute number in that table, or 0
 * @param typeOid         the data type's OID
 * @param typeLength      pg_type.typlen (negative for variable length)
 * @param typeModifier    pg_attribute.atttypmod, -1 when none
 * @param format          0 text, 1 binary
 */
public record ColumnDescriptor(String name, int tableOid, short attributeNumber, int typeOid,
        short typeLength, int typeModifier, short format) {

    /** The same column sent in another format. */
    public ColumnDescriptor withFormat(short newFormat) {
        return new ColumnDescriptor(name, tableOid, attributeNumber, typeOid, typeLength, typeModifier, newFormat);
    }
}
