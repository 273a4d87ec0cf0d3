/**
 * Index access methods (PostgreSQL: access/amapi.h, access/nbtree): building, inserting with
 * unique checks, scanning with keys, and bulk deletion for VACUUM.
 */
@Export
@Version("1.0.0")
package org.osgres.api.index;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
