package org.osgres.api.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the client said in its StartupMessage, and where it connected from.
 *
 * @param protocolVersion the requested version (major in the high 16 bits)
 * @param parameters      every name/value pair in the order sent (user, database, options,
 *                        application_name, client_encoding, and any setting)
 * @param origin          the client's address
 */
public record StartupInfo(int protocolVersion, Map<String, String> parameters, ClientAddress origin) {

    public StartupInfo {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public String user() {
        return parameters.get("user");
    }

    /** The database; PostgreSQL defaults it to the user name. */
    public String database() {
        String db = parameters.get("database");
        return db == null || db.isEmpty() ? user() : db;
    }
}
