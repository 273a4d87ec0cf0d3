/**
 * The write-ahead log as other subsystems see it. For now only the WAL-before-data rule:
 * {@link org.osgres.api.wal.WalFlush}, which the buffer manager and the commit log call before
 * they write a page out.
 */
@Export
@Version("1.0.0")
package org.osgres.api.wal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
