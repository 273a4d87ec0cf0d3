package org.osgres.launcher;

/** A command line the program cannot use; Main prints it with a --help pointer and exits 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String program;

    UsageException(String program, String message) {
        super(message);
        this.program = program;
    }

    String program() {
        return program;
    }
}
