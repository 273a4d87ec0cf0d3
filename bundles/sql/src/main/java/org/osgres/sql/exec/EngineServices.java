package org.osgres.sql.exec;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgres.api.auth.ClientAuthentication;
import org.osgres.api.auth.PasswordEncryption;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.index.IndexAccess;
import org.osgres.api.checkpoint.CheckpointRequest;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.BackendRegistry;
import org.osgres.api.sql.SystemView;

/*
 * EngineServices: the other subsystems' services the SQL engine reaches while it analyzes and
 * runs statements (PostgreSQL reaches the same things through shared memory and the system
 * catalogs: pg_authid, the PGPROC array, the GUC table, the system views).
 *
 * PgSqlEngine fills it from its dynamic references; each one may come and go, so readers take
 * a snapshot of the field once per use. A statement analyzed when a service was absent fails
 * when it runs, not when it is prepared.
 *
 * Entry points: roles(), passwordEncryption(), backends(), clientAuthentication(), view(),
 * catalogOrNull(), heap(), indexes().
 */
public final class EngineServices {
    private final Map<String, SystemView> views = new ConcurrentHashMap<>();
    private volatile WalInsert wal;
    private volatile CheckpointRequest checkpointer;
    private volatile RoleCatalog roleCatalog;
    private volatile PasswordEncryption passwordEncryption;
    private volatile BackendRegistry backendRegistry;
    private volatile ClientAuthentication clientAuthentication;
    private volatile SystemCatalog catalog;
    private volatile HeapAccess heap;
    private volatile IndexAccess indexes;

    public synchronized void setCatalog(SystemCatalog catalog) {
        this.catalog = catalog;
    }

    /** A service going away: forgotten only if it is the one held (DS may bind its successor first). */
    public synchronized void unsetCatalog(SystemCatalog catalog) {
        if (this.catalog == catalog) {
            this.catalog = null;
        }
    }

    public synchronized void setHeap(HeapAccess heap) {
        this.heap = heap;
    }

    public synchronized void unsetHeap(HeapAccess heap) {
        if (this.heap == heap) {
            this.heap = null;
        }
    }

    public synchronized void setIndexAccess(IndexAccess indexes) {
        this.indexes = indexes;
    }

    public synchronized void unsetIndexAccess(IndexAccess indexes) {
        if (this.indexes == indexes) {
            this.indexes = null;
        }
    }

    /** The system catalog, or null when no catalog bundle is installed (then only system views exist). */
    public SystemCatalog catalogOrNull() {
        return catalog;
    }

    /** The heap access method; 0A000 when no heap bundle is installed. */
    public HeapAccess heap() {
        HeapAccess h = heap;
        if (h == null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "no heap access method service is installed");
        }
        return h;
    }

    /** The index access method; 0A000 when no btree bundle is installed. */
    public IndexAccess indexes() {
        IndexAccess i = indexes;
        if (i == null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "no index access method service is installed");
        }
        return i;
    }

    /** The index access method, or null. */
    public IndexAccess indexesOrNull() {
        return indexes;
    }

    public synchronized void setRoleCatalog(RoleCatalog roleCatalog) {
        this.roleCatalog = roleCatalog;
    }

    public synchronized void unsetRoleCatalog(RoleCatalog roleCatalog) {
        if (this.roleCatalog == roleCatalog) {
            this.roleCatalog = null;
        }
    }

    public synchronized void setPasswordEncryption(PasswordEncryption passwordEncryption) {
        this.passwordEncryption = passwordEncryption;
    }

    public synchronized void unsetPasswordEncryption(PasswordEncryption passwordEncryption) {
        if (this.passwordEncryption == passwordEncryption) {
            this.passwordEncryption = null;
        }
    }

    public synchronized void setBackendRegistry(BackendRegistry backendRegistry) {
        this.backendRegistry = backendRegistry;
    }

    public synchronized void unsetBackendRegistry(BackendRegistry backendRegistry) {
        if (this.backendRegistry == backendRegistry) {
            this.backendRegistry = null;
        }
    }

    public synchronized void setClientAuthentication(ClientAuthentication clientAuthentication) {
        this.clientAuthentication = clientAuthentication;
    }

    public synchronized void unsetClientAuthentication(ClientAuthentication clientAuthentication) {
        if (this.clientAuthentication == clientAuthentication) {
            this.clientAuthentication = null;
        }
    }

    public void addView(SystemView view) {
        views.put(view.name().toLowerCase(Locale.ROOT), view);
    }

    /** Removes the view only when it is still the one registered under its name. */
    public void removeView(SystemView view) {
        views.remove(view.name().toLowerCase(Locale.ROOT), view);
    }

    /** A system view by its (lower-case) name. */
    public Optional<SystemView> view(String name) {
        return Optional.ofNullable(views.get(name));
    }

    /** The WAL (pg_current_wal_lsn() and friends), or null when no wal bundle is installed. */
    public WalInsert walOrNull() {
        return wal;
    }

    public synchronized void setWal(WalInsert wal) {
        this.wal = wal;
    }

    public synchronized void unsetWal(WalInsert wal) {
        if (this.wal == wal) {
            this.wal = null;
        }
    }

    /** The checkpointer (CHECKPOINT), or null when no checkpointer bundle is installed. */
    public CheckpointRequest checkpointerOrNull() {
        return checkpointer;
    }

    public synchronized void setCheckpointer(CheckpointRequest checkpointer) {
        this.checkpointer = checkpointer;
    }

    public synchronized void unsetCheckpointer(CheckpointRequest checkpointer) {
        if (this.checkpointer == checkpointer) {
            this.checkpointer = null;
        }
    }

    /** The role catalog; 58000-style failure when the auth bundle is not running. */
    public RoleCatalog roles() {
        RoleCatalog c = roleCatalog;
        if (c == null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "no role catalog service is installed");
        }
        return c;
    }

    /** The role catalog, or null when none is installed. */
    public RoleCatalog rolesOrNull() {
        return roleCatalog;
    }

    public PasswordEncryption passwordEncryption() {
        PasswordEncryption p = passwordEncryption;
        if (p == null) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "no password encryption service is installed")
                    .withHint("Install a bundle that provides org.osgres.api.auth.PasswordEncryption.");
        }
        return p;
    }

    /** The backend registry, or null when the postmaster does not provide one (unit tests). */
    public BackendRegistry backends() {
        return backendRegistry;
    }

    public ClientAuthentication clientAuthentication() {
        return clientAuthentication;
    }
}
