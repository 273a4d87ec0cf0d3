package org.osgres.backend;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgres.api.config.GucContext;
import org.osgres.api.config.SettingDefinition;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/**
 * One session's settings on top of the server's (PostgreSQL: the per-backend GUC stack in
 * guc.c, much reduced). A value comes from, in order: SET LOCAL, SET, the startup packet, the
 * server. SET in a transaction block that rolls back is undone; SET LOCAL ends with the
 * transaction. Reported settings whose value changed are collected for ParameterStatus.
 */
final class SessionSettings {
    private final Settings server;
    private final Map<String, String> connection = new HashMap<>();
    private final Map<String, String> session = new HashMap<>();
    private final Map<String, String> local = new HashMap<>();
    private Map<String, String> sessionAtBlockStart;
    private final Map<String, String> lastReported = new HashMap<>();

    SessionSettings(Settings server) {
        this.server = server;
    }

    Settings server() {
        return server;
    }

    /** The session's current value in internal form. */
    String get(String name) {
        String key = key(name);
        String v = local.get(key);
        if (v == null) {
            v = session.get(key);
        }
        if (v == null) {
            v = connection.get(key);
        }
        return v != null ? v : server.get(key);
    }

    /** The value SET LOCAL gave in this transaction, or null. */
    String localValue(String name) {
        return local.get(key(name));
    }

    /**
     * A setting from the startup packet or the session's identity (PostgreSQL: source
     * PGC_S_CLIENT, context PGC_BACKEND): it becomes what RESET returns to.
     */
    void setAtConnection(String name, String value) {
        SettingDefinition def = definition(name);
        if (def.context() == GucContext.POSTMASTER || def.context() == GucContext.SIGHUP
                || def.context() == GucContext.INTERNAL) {
            throw cannotChange(def);
        }
        connection.put(def.name(), server.parse(def.name(), value));
    }

    /** Sets a value the server decides per session (is_superuser, session_authorization). */
    void setInternal(String name, String internalValue) {
        connection.put(key(name), internalValue);
    }

    /** SET / SET LOCAL with a value already in internal form. */
    void set(String name, String internalValue, boolean isLocal, boolean inBlock) {
        SettingDefinition def = definition(name);
        switch (def.context()) {
            case POSTMASTER, SIGHUP, INTERNAL, BACKEND, SUPERUSER_BACKEND -> throw cannotChange(def);
            default -> { }
        }
        if (isLocal) {
            if (inBlock) {
                local.put(def.name(), internalValue);
            }
            // PostgreSQL: SET LOCAL outside a block warns and has no lasting effect (the caller warns)
            return;
        }
        session.put(def.name(), internalValue);
        local.remove(def.name());
    }

    void reset(String name) {
        SettingDefinition def = definition(name);
        switch (def.context()) {
            case POSTMASTER, SIGHUP, INTERNAL, BACKEND, SUPERUSER_BACKEND -> throw cannotChange(def);
            default -> { }
        }
        session.remove(def.name());
        local.remove(def.name());
    }

    void resetAll() {
        session.clear();
        local.clear();
    }

    void blockStarted() {
        sessionAtBlockStart = new HashMap<>(session);
    }

    /** End of a transaction: SET LOCAL values end; on abort, SETs made in the block are undone. */
    void transactionEnded(boolean committed) {
        local.clear();
        if (!committed && sessionAtBlockStart != null) {
            session.clear();
            session.putAll(sessionAtBlockStart);
        }
        sessionAtBlockStart = null;
    }

    /**
     * The reported settings whose display value differs from what the client last heard, as
     * protocol name to display value; records them as reported.
     */
    Map<String, String> takeReportChanges() {
        Map<String, String> changes = new java.util.LinkedHashMap<>();
        for (SettingDefinition def : server.definitions()) {
            if (!def.reported()) {
                continue;
            }
            String display = server.display(def.name(), get(def.name()));
            if (!display.equals(lastReported.get(def.name()))) {
                lastReported.put(def.name(), display);
                changes.put(server.displayName(def.name()), display);
            }
        }
        return changes;
    }

    /** Names with a session-level value, for diagnostics. */
    Set<String> overridden() {
        Set<String> out = new LinkedHashSet<>(connection.keySet());
        out.addAll(session.keySet());
        out.addAll(local.keySet());
        return out;
    }

    private SettingDefinition definition(String name) {
        return server.definition(name).orElseThrow(() -> new PgException(SqlState.UNDEFINED_OBJECT,
                "unrecognized configuration parameter \"" + name + "\""));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static PgException cannotChange(SettingDefinition def) {
        String message = switch (def.context()) {
            case POSTMASTER -> "parameter \"" + def.name() + "\" cannot be changed without restarting the server";
            case SIGHUP -> "parameter \"" + def.name() + "\" cannot be changed now";
            case BACKEND, SUPERUSER_BACKEND -> "parameter \"" + def.name() + "\" cannot be set after connection start";
            default -> "parameter \"" + def.name() + "\" cannot be changed";
        };
        return new PgException(SqlState.CANT_CHANGE_RUNTIME_PARAM, message);
    }
}
