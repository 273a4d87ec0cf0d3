/** The server's one shared memory area (PostgreSQL: storage/ipc/shmem.c): named regions for every subsystem. */
@Export
@Version("1.1.0")
package org.osgres.api.shmem;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
