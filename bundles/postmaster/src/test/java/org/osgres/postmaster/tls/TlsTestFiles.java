package org.osgres.postmaster.tls;

import org.osgres.testing.TestPki;

import java.nio.file.Path;

/** For tests outside this package: a test PKI in a directory and a ServerTls that uses it. */
public final class TlsTestFiles {
    private TlsTestFiles() {
    }

    /** ca.crt, server.crt/.key, client.crt/.key in dir; ssl = on with ssl_ca_file = ca.crt. */
    public static ServerTls serverTls(Path dir) throws Exception {
        TestPki.create(dir);
        ServerTls tls = new ServerTls(SslServerContextTest.sslSettings(dir).with("ssl_ca_file", "ca.crt"));
        tls.initialize();
        return tls;
    }
}
