/**
 * The heap access method (PostgreSQL: access/heap/heapam.c, heapam_visibility.c, pruneheap.c,
 * vacuumlazy.c, access/common/heaptuple.c): tables as slotted pages of MVCC tuple versions in
 * PostgreSQL's on-disk format.
 */
@Export
@Version("1.2.0")
package org.osgres.api.heap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
