package org.osgres.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgres.api.catalog.ColumnInfo;
import org.osgres.api.catalog.RelationCatalog;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.catalog.TableSpec;
import org.osgres.api.config.Settings;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionManager;
import org.osgres.api.xact.WaitContext;

/**
 * The catalog bundle in Felix: bootstrapped at its first activation over the data directory,
 * with template1, template0 and postgres, and a table created, committed and found again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CatalogInFrameworkIT {
    @Inject
    Settings settings;

    @Inject
    SystemCatalog catalog;

    @Inject
    TransactionManager xacts;

    @Inject
    HeapAccess heap;

    @Configuration
    public Option[] config() throws IOException {
        Path data = OsgresExam.dataDirectory("osgres-catalog-itest-", OsgresExam.freePort(), "shared_buffers = 1MB");
        return options(OsgresExam.frameworkOptions(data).toArray(new Option[0]));
    }

    @Test
    public void bootstrappedDatabasesAndATableCreatedInOne() {
        assertEquals(List.of("template1", "template0", "postgres"),
                catalog.databases().stream().map(d -> d.name()).toList());
        assertFalse(catalog.database("template0").allowConnections());
        assertTrue(Files.exists(settings.dataDirectory().resolve("global/osgres_oid")));
        RelationCatalog postgres = catalog.relations(5);
        Transaction tx = xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(1));
        TableInfo t = postgres.createTable(tx, new TableSpec(null, "itest_t",
                List.of(new ColumnInfo(1, "a", Attribute.INT4, -1, false, null)), 100), List.of("public"));
        heap.insert(t.heap(), tx, new Object[] {1});
        tx.commit();
        Transaction tx2 = xacts.begin(IsolationLevel.READ_COMMITTED, WaitContext.of(2));
        TableInfo found = postgres.openTable(tx2, null, "itest_t", List.of("public"), LockMode.ACCESS_SHARE, false);
        assertNotNull(found);
        assertEquals(t.oid(), found.oid());
        assertTrue(Files.exists(settings.dataDirectory().resolve("base/5/" + t.oid())));
        tx2.commit();
    }
}
