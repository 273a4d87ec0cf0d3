/**
 * Checkpoints as other subsystems ask for them (PostgreSQL: postmaster/checkpointer.c's
 * RequestCheckpoint and the postmaster's shutdown request to the checkpointer).
 */
@Export
@Version("1.0.0")
package org.osgres.api.checkpoint;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
