package org.osgres.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/** One server for the whole test class; its log is printed when a test fails. */
abstract class WithServer {
    static OsgresServer server;

    @RegisterExtension
    static final TestWatcher PRINT_LOG_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (server != null) {
                System.err.println("osgres e2e: " + context.getDisplayName() + " failed\n" + server.logText());
            }
        }
    };

    @BeforeAll
    static void startServer() throws Exception {
        server = OsgresServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            try {
                server.close();
            } finally {
                server = null;
            }
        }
    }
}
