package org.osgres.api.config;

/** The type of a setting, spelled as pg_settings.vartype shows it. */
public enum GucType {
    BOOL("bool"),
    INTEGER("integer"),
    REAL("real"),
    STRING("string"),
    ENUM("enum");

    private final String label;

    GucType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static GucType fromLabel(String label) {
        for (GucType t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown GUC type: " + label);
    }
}
