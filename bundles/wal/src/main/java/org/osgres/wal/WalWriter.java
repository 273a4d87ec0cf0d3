/*
 * WalWriter: the WAL writer background process (PostgreSQL: postmaster/walwriter.c).
 *
 * Every wal_writer_delay it calls Xlog.backgroundFlush (XLogBackgroundFlush): asynchronous
 * commits (synchronous_commit = off) are flushed, and complete WAL pages are written out ahead
 * of the backends, flushed once wal_writer_flush_after pages are pending. An asynchronous commit
 * that fills a page wakes it early. It starts only once recovery is done (it references the
 * Recovery service), as the postmaster starts it after the startup process in PostgreSQL.
 *
 * After a crash (the shared memory discarded) the loop ends: Xlog writes nothing more, and the
 * worker of the new shared memory takes over.
 *
 * Entry points: run() (the postmaster runs it as backend_type "walwriter").
 * See also: Xlog -- the flushing itself.
 */
package org.osgres.wal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.config.Settings;
import org.osgres.api.lifecycle.BackgroundWorker;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.wal.Recovery;

@Component(service = BackgroundWorker.class)
public final class WalWriter implements BackgroundWorker {
    private final Xlog xlog;
    private final Settings settings;

    @Activate
    public WalWriter(@Reference Xlog xlog, @Reference Settings settings, @Reference Recovery recovery) {
        this.xlog = xlog;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "walwriter";
    }

    @Override
    public String backendType() {
        return "walwriter";
    }

    @Override
    public void run(BackendStatus status) throws Exception {
        while (!Thread.currentThread().isInterrupted() && !xlog.discarded()) {
            xlog.backgroundFlush();
            xlog.waitForWork(settings.getInt("wal_writer_delay"));
        }
    }
}
