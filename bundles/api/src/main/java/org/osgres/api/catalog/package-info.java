/**
 * The system catalogs (PostgreSQL: catalog/, utils/cache/relcache.c, catalog/namespace.c):
 * databases, schemas, tables, their columns, indexes and constraints, kept as heap relations
 * (pg_database, pg_namespace, pg_class, pg_attribute, pg_attrdef, pg_type, pg_index,
 * pg_constraint) and changed transactionally.
 */
@Export
@Version("1.1.0")
package org.osgres.api.catalog;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
