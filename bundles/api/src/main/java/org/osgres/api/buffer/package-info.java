/** The shared buffer pool (PostgreSQL: storage/buffer/bufmgr.c): pin and unpin pages, content locks, dirty pages, the page layout. */
@Export
@Version("1.3.0")
package org.osgres.api.buffer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
