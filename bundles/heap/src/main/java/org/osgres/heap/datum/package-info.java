/**
 * The on-disk layout of datums in a tuple's data area (PostgreSQL: heaptuple.c's fill and walk,
 * utils/adt's formats), shared by heap tuples and the btree's index tuples (index_form_tuple uses
 * heap_fill_tuple in PostgreSQL too).
 */
@Export
@Version("1.0.0")
package org.osgres.heap.datum;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
