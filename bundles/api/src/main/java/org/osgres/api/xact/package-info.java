/**
 * Transactions (PostgreSQL: access/transam/xact.c, varsup.c, storage/ipc/procarray.c,
 * utils/time/snapmgr.c, storage/lmgr/lmgr.c, lock.c, deadlock.c): transaction ids, snapshots,
 * isolation levels, heavyweight locks with deadlock detection, waiting for a transaction to end.
 */
@Export
@Version("1.3.0")
package org.osgres.api.xact;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
