package org.osgres.postmaster.tls;

import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context in force (PostgreSQL: secure_initialize and secure_destroy in
 * libpq/be-secure.c, and the LoadedSSL flag of postmaster.c). initialize() at server start
 * fails the start when ssl = on and the files are bad; reload() on SIGHUP builds a new context
 * and keeps the old one if that fails ("SSL configuration was not reloaded"); ssl = off drops
 * it. A connection takes the context in force when its SSLRequest arrives.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final Settings settings;
    private volatile SslServerContext current;

    public ServerTls(Settings settings) {
        this.settings = settings;
    }

    /**
     * Loads the context at server start when ssl = on.
     *
     * @throws PgException FATAL with PostgreSQL's message when a file or setting is bad
     */
    public void initialize() {
        current = settings.getBool("ssl") ? SslServerContext.load(settings, true) : null;
    }

    /** SIGHUP: the new context, or the old one kept when the new settings do not load. */
    public void reload() {
        if (!settings.getBool("ssl")) {
            current = null;
            return;
        }
        try {
            current = SslServerContext.load(settings, false);
        } catch (PgException e) {
            LOG.info("{}{}", e.getMessage(), e.detail() == null ? "" : "\nDETAIL:  " + e.detail());
            LOG.info("SSL configuration was not reloaded");
        }
    }

    /** The context for a new connection's SSLRequest, or null when SSL is off (answer 'N'). */
    public SslServerContext current() {
        return current;
    }
}
