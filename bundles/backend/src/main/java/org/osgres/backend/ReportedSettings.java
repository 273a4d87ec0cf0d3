package org.osgres.backend;

import java.util.List;
import java.util.Locale;

/**
 * The settings whose values the backend reports in ParameterStatus (PostgreSQL 15's GUC_REPORT
 * set), with the spelling the protocol uses for their names.
 */
final class ReportedSettings {
    static final List<String> NAMES = List.of(
            "application_name",
            "client_encoding",
            "DateStyle",
            "default_transaction_read_only",
            "in_hot_standby",
            "integer_datetimes",
            "IntervalStyle",
            "is_superuser",
            "server_encoding",
            "server_version",
            "session_authorization",
            "standard_conforming_strings",
            "TimeZone");

    private ReportedSettings() {
    }

    /** The protocol spelling of a reported setting, or null if it is not reported. */
    static String reportedName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String n : NAMES) {
            if (n.toLowerCase(Locale.ROOT).equals(lower)) {
                return n;
            }
        }
        return null;
    }
}
