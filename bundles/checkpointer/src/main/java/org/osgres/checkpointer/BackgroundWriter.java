/*
 * BackgroundWriter: the background writer process (PostgreSQL: postmaster/bgwriter.c,
 * BackgroundWriterMain).
 *
 * A background worker (backend_type "background writer") that starts once recovery is done.
 * Every bgwriter_delay it runs one BgBufferSync round: dirty, unpinned buffers with usage count
 * 0 just ahead of the clock hand are written (WAL first, through the buffer pool's flush path),
 * so backends looking for a victim find clean ones. pg_stat_bgwriter counts buffers_clean and
 * maxwritten_clean.
 *
 * Simplified: no hibernation (PostgreSQL sleeps 50 times longer when idle and is woken by the
 * next allocation; this one wakes every bgwriter_delay, which costs a short scan), no
 * bgwriter_flush_after write-back hints, no standby snapshots (LogStandbySnapshot).
 *
 * After a crash (the shared memory discarded) the loop ends: the buffer pool refuses its writes,
 * and the worker of the new shared memory takes over.
 *
 * Entry points: run().
 * See also: BgBufferSync -- the round; Checkpointer -- the other writer.
 */
package org.osgres.checkpointer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.config.Settings;
import org.osgres.api.lifecycle.BackgroundWorker;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.wal.Recovery;

@Component(service = BackgroundWorker.class, immediate = true)
public final class BackgroundWriter implements BackgroundWorker {
    private final Settings settings;
    private final PgStatBgwriter stats;
    private final BgBufferSync sync;
    private final SharedMemory shmem;

    @Activate
    public BackgroundWriter(@Reference Settings settings, @Reference SharedMemory shmem, @Reference BufferManager buffers,
            @Reference PgStatBgwriter stats, @Reference Recovery recovery) {
        this.settings = settings;
        this.shmem = shmem;
        this.stats = stats;
        this.sync = new BgBufferSync(new BgBufferSync.Pool() {
            @Override
            public int bufferCount() {
                return buffers.bufferCount();
            }

            @Override
            public BufferManager.ClockPosition clockPosition() {
                return buffers.clockPosition();
            }

            @Override
            public int syncOneBuffer(int index) {
                return buffers.syncOneBuffer(index + 1, true);
            }
        });
    }

    @Override
    public String name() {
        return "background writer";
    }

    @Override
    public String backendType() {
        return "background writer";
    }

    @Override
    public void run(BackendStatus status) throws Exception {
        while (!Thread.currentThread().isInterrupted() && !shmem.discarded()) {
            int delay = settings.getInt("bgwriter_delay");
            BgBufferSync.Round round;
            try {
                round = sync.round(settings.getInt("bgwriter_lru_maxpages"),
                        settings.getReal("bgwriter_lru_multiplier"), delay);
            } catch (RuntimeException e) {
                if (shmem.discarded()) {
                    return; // a write refused after a crash: this worker's pool is gone
                }
                throw e;
            }
            stats.cleaned(round.written(), round.hitMaxPages());
            status.setWait("Activity", "BgWriterMain");
            try {
                Thread.sleep(delay);
            } finally {
                status.setWait(null, null);
            }
        }
    }
}
