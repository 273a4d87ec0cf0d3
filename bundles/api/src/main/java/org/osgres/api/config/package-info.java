/** Settings (PostgreSQL's GUCs): definitions, current values, validation, reload. */
@Export
@Version("1.1.0")
package org.osgres.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
