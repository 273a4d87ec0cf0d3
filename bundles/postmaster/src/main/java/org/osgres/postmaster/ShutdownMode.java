package org.osgres.postmaster;

/** PostgreSQL's three shutdown modes, and the signal that asks for each. */
enum ShutdownMode {
    /** SIGTERM: refuse new sessions, wait for the open ones to end. */
    SMART("smart"),
    /** SIGINT: end every session with FATAL 57P01, then stop. */
    FAST("fast"),
    /** SIGQUIT: stop at once; the next start recovers. */
    IMMEDIATE("immediate");

    private final String label;

    ShutdownMode(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
