/**
 * The write-ahead log as other subsystems see it (PostgreSQL: access/xlog.h, xloginsert.h,
 * xlogrecord.h, xlog_internal.h, catalog/pg_control.h).
 *
 * <ul>
 * <li>{@link org.osgres.api.wal.WalFlush}: the WAL-before-data rule, called by the buffer manager
 *     and the commit log before they write a page out.</li>
 * <li>{@link org.osgres.api.wal.WalInsert}: insert records ({@link org.osgres.api.wal.WalRecord}),
 *     flush, switch segments, write checkpoint records.</li>
 * <li>{@link org.osgres.api.wal.WalRedo}: a resource manager's redo, registered by the bundle that
 *     owns the records; {@link org.osgres.api.wal.RedoBuffers} restores full-page images.</li>
 * <li>{@link org.osgres.api.wal.SmgrRecords}: the storage manager's records (XLOG_SMGR_CREATE,
 *     XLOG_SMGR_TRUNCATE), written by the access methods, replayed by the buffer manager.</li>
 * <li>{@link org.osgres.api.wal.ControlFileData}: global/pg_control;
 *     {@link org.osgres.api.wal.Recovery}: registered once startup recovery is done.</li>
 * </ul>
 */
@Export
@Version("1.3.0")
package org.osgres.api.wal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
