package org.osgres.api.config;

/**
 * When a setting may change (PostgreSQL: GucContext in guc.h), spelled as pg_settings.context
 * shows it.
 */
public enum GucContext {
    INTERNAL("internal"),
    POSTMASTER("postmaster"),
    SIGHUP("sighup"),
    SUPERUSER_BACKEND("superuser-backend"),
    BACKEND("backend"),
    SUSET("superuser"),
    USERSET("user");

    private final String label;

    GucContext(String label) {
        this.label = label;
    }

    /** The name pg_settings.context uses. */
    public String label() {
        return label;
    }

    public static GucContext fromLabel(String label) {
        for (GucContext c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown GUC context: " + label);
    }
}
