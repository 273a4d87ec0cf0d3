package org.osgres.backend;

import java.util.List;

import org.osgres.api.protocol.MessageBuilder;
import org.osgres.api.session.BackendKey;
import org.osgres.api.sql.ColumnDescriptor;
import org.osgres.api.sql.TransactionStatus;

/**
 * Writes the backend's messages (PostgreSQL: the pq_* calls spread over tcop/, access/common/printtup.c
 * and tcop/dest.c). The one place that knows their type bytes and layouts; ErrorResponse and
 * NoticeResponse are in the api's ErrorResponses.
 */
final class BackendMessages {
    static final char PARAMETER_STATUS = 'S';
    static final char BACKEND_KEY_DATA = 'K';
    static final char READY_FOR_QUERY = 'Z';
    static final char ROW_DESCRIPTION = 'T';
    static final char DATA_ROW = 'D';
    static final char COMMAND_COMPLETE = 'C';
    static final char EMPTY_QUERY_RESPONSE = 'I';
    static final char PARSE_COMPLETE = '1';
    static final char BIND_COMPLETE = '2';
    static final char CLOSE_COMPLETE = '3';
    static final char NO_DATA = 'n';
    static final char PARAMETER_DESCRIPTION = 't';
    static final char PORTAL_SUSPENDED = 's';

    private BackendMessages() {
    }

    static void parameterStatus(MessageBuilder m, String name, String value) {
        m.begin(PARAMETER_STATUS).putCString(name).putCString(value).end();
    }

    static void backendKeyData(MessageBuilder m, BackendKey key) {
        m.begin(BACKEND_KEY_DATA).putInt32(key.pid()).putInt32(key.secret()).end();
    }

    static void readyForQuery(MessageBuilder m, TransactionStatus status) {
        m.begin(READY_FOR_QUERY).putByte(status.indicator()).end();
    }

    static void rowDescription(MessageBuilder m, List<ColumnDescriptor> columns) {
        m.begin(ROW_DESCRIPTION).putInt16(columns.size());
        for (ColumnDescriptor c : columns) {
            m.putCString(c.name())
                    .putInt32(c.tableOid())
                    .putInt16(c.attributeNumber())
                    .putInt32(c.typeOid())
                    .putInt16(c.typeLength())
                    .putInt32(c.typeModifier())
                    .putInt16(c.format());
        }
        m.end();
    }

    static void dataRow(MessageBuilder m, byte[][] values) {
        m.begin(DATA_ROW).putInt16(values.length);
        for (byte[] v : values) {
            if (v == null) {
                m.putInt32(-1);
            } else {
                m.putInt32(v.length).putBytes(v);
            }
        }
        m.end();
    }

    static void commandComplete(MessageBuilder m, String tag) {
        m.begin(COMMAND_COMPLETE).putCString(tag).end();
    }

    static void parameterDescription(MessageBuilder m, int[] types) {
        m.begin(PARAMETER_DESCRIPTION).putInt16(types.length);
        for (int t : types) {
            m.putInt32(t);
        }
        m.end();
    }

    /** A message with no body: ParseComplete, BindComplete, CloseComplete, NoData, PortalSuspended, EmptyQueryResponse. */
    static void empty(MessageBuilder m, char type) {
        m.begin(type).end();
    }
}
