/*
 * SharedMemoryResetter: a new shared memory area after a crash (PostgreSQL: the reinitialisation
 * in PostmasterStateMachine once every child has exited after HandleChildCrash).
 *
 * The current SharedMemoryArea is marked discarded, then its component is disabled through the
 * Service Component Runtime: DS deactivates everything built on the area, dependents first (the
 * backend, the catalog, heap and btree, transam, clog, the buffer pool, wal, the checkpointer),
 * and each of them, seeing the area discarded, stops without writing. Enabling the component
 * again creates a new, zeroed area and DS activates the same components on it; the wal bundle's
 * startup thread then runs crash recovery exactly as at server start.
 *
 * Entry points: reinitialize() (SharedMemoryReset).
 * See also: SharedMemoryArea; the postmaster's crash handling, which calls it.
 */
package org.osgres.shmem;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.shmem.SharedMemoryReset;

@Component(service = SharedMemoryReset.class)
public final class SharedMemoryResetter implements SharedMemoryReset {
    /** How long DS may take to stop or start the components on the area. */
    private static final long TIMEOUT_SECONDS = 60;

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SharedMemory current;

    @Activate
    public SharedMemoryResetter(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    @Override
    public synchronized void reinitialize() {
        ComponentDescriptionDTO area = scr.getComponentDescriptionDTO(context.getBundle(), SharedMemoryArea.class.getName());
        if (area == null) {
            throw new PgException(SqlState.INTERNAL_ERROR, "no shared memory component in bundle " + context.getBundle());
        }
        if (current instanceof SharedMemoryArea a) {
            a.discard();
        }
        await(scr.disableComponent(area), "stopping");
        await(scr.enableComponent(area), "starting");
    }

    private static void await(org.osgi.util.promise.Promise<Void> p, String what) {
        // DS resolves the promise once the components are stopped or started
        try {
            p.timeout(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)).getValue();
        } catch (InvocationTargetException e) {
            throw new PgException(SqlState.INTERNAL_ERROR, what + " the shared memory components failed: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException(SqlState.INTERNAL_ERROR, what + " the shared memory components was interrupted");
        }
    }
}
