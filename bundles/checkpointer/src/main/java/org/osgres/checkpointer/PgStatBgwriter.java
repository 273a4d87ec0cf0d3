/*
 * PgStatBgwriter: the pg_stat_bgwriter view and the counters behind it (PostgreSQL:
 * utils/activity/pgstat_bgwriter.c, pgstat_checkpointer.c, and pg_stat_get_bgwriter_* /
 * pg_stat_get_checkpoint_* / pg_stat_get_buf_* in utils/adt/pgstatfuncs.c).
 *
 * One row, PostgreSQL 15's eleven columns: checkpoints_timed and checkpoints_req (the
 * checkpointer's loop counts them), checkpoint_write_time and checkpoint_sync_time in
 * milliseconds (float8), buffers_checkpoint, buffers_clean and maxwritten_clean (the
 * checkpointer and background writer), buffers_backend, buffers_backend_fsync and buffers_alloc
 * (from the buffer pool), stats_reset (when the counters started). The counters live in memory
 * and start at 0 with each server start (PostgreSQL keeps them across a clean restart in
 * pg_stat/); there is no pg_stat_reset_shared() yet.
 *
 * Entry points: the SystemView service; checkpointDone(), timed(), requested(), cleaned().
 * See also: Checkpointer, BackgroundWriter -- who count.
 */
package org.osgres.checkpointer;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.SystemView;

@Component(service = {SystemView.class, PgStatBgwriter.class})
public final class PgStatBgwriter implements SystemView {
    private static final int INT8 = 20;
    private static final int FLOAT8 = 701;
    private static final int TIMESTAMPTZ = 1184;
    private static final List<ViewColumn> COLUMNS = List.of(
            new ViewColumn("checkpoints_timed", INT8),
            new ViewColumn("checkpoints_req", INT8),
            new ViewColumn("checkpoint_write_time", FLOAT8),
            new ViewColumn("checkpoint_sync_time", FLOAT8),
            new ViewColumn("buffers_checkpoint", INT8),
            new ViewColumn("buffers_clean", INT8),
            new ViewColumn("maxwritten_clean", INT8),
            new ViewColumn("buffers_backend", INT8),
            new ViewColumn("buffers_backend_fsync", INT8),
            new ViewColumn("buffers_alloc", INT8),
            new ViewColumn("stats_reset", TIMESTAMPTZ));

    private final BufferManager buffers;
    private final OffsetDateTime statsReset = OffsetDateTime.now();
    private final AtomicLong checkpointsTimed = new AtomicLong();
    private final AtomicLong checkpointsReq = new AtomicLong();
    private final DoubleAdder writeTime = new DoubleAdder();
    private final DoubleAdder syncTime = new DoubleAdder();
    private final AtomicLong buffersCheckpoint = new AtomicLong();
    private final AtomicLong buffersClean = new AtomicLong();
    private final AtomicLong maxwrittenClean = new AtomicLong();

    @Activate
    public PgStatBgwriter(@Reference BufferManager buffers) {
        this.buffers = buffers;
    }

    /** A checkpoint started because checkpoint_timeout passed and nothing asked for one. */
    void timed() {
        checkpointsTimed.incrementAndGet();
    }

    /** A checkpoint started because something asked (CHECKPOINT, max_wal_size). */
    void requested() {
        checkpointsReq.incrementAndGet();
    }

    /** A checkpoint's writes: buffers, and the write and sync phases in milliseconds. */
    void checkpointDone(int buffersWritten, long writeMs, long syncMs) {
        buffersCheckpoint.addAndGet(buffersWritten);
        writeTime.add(writeMs);
        syncTime.add(syncMs);
    }

    /** One background writer round: buffers written, and whether it stopped at bgwriter_lru_maxpages. */
    void cleaned(int written, boolean hitMaxPages) {
        buffersClean.addAndGet(written);
        if (hitMaxPages) {
            maxwrittenClean.incrementAndGet();
        }
    }

    long checkpointsTimed() {
        return checkpointsTimed.get();
    }

    long checkpointsRequested() {
        return checkpointsReq.get();
    }

    long buffersClean() {
        return buffersClean.get();
    }

    @Override
    public String name() {
        return "pg_stat_bgwriter";
    }

    @Override
    public List<ViewColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object[]> rows(SessionContext session) {
        BufferManager.BackendWrites backend = buffers.backendWrites();
        return List.<Object[]>of(new Object[] {checkpointsTimed.get(), checkpointsReq.get(), writeTime.sum(),
            syncTime.sum(), buffersCheckpoint.get(), buffersClean.get(), maxwrittenClean.get(), backend.writes(),
            backend.fsyncs(), buffers.clockPosition().allocations(), statsReset});
    }
}
