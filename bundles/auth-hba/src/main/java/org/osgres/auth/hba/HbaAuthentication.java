/*
 * HbaAuthentication: client authentication by pg_hba.conf (PostgreSQL: ClientAuthentication() in
 * libpq/auth.c, load_hba() in libpq/hba.c).
 *
 * At activation it loads the file named by the hba_file setting; a file with errors at startup
 * is FATAL ("could not load pg_hba.conf") and the server exits with code 1. A method that no
 * AuthMethod service provides is such an error too, named with the bundle that would provide it;
 * since plug-in bundles may start after this one, startup waits for them (at most METHOD_WAIT, or
 * until every bundle marked to start is active) before it gives up. reload() is the SIGHUP path:
 * a file with errors or a missing method leaves the old rules in force ("pg_hba.conf was not
 * reloaded"); pg_ident.conf (IdentFile) is reloaded with it. authenticate() finds the first
 * matching line, checks the client certificate that clientcert= or cert asks for, and runs the
 * line's method: an AuthMethod service looked up by its osgres.auth.method property. trust,
 * reject, password, md5, scram-sha-256, peer and cert are in this bundle; ldap is the
 * org.osgres.auth.ldap bundle's. A failure is logged with PostgreSQL's DETAIL "Connection matched
 * pg_hba.conf line N", which the client never sees (auth_failed()).
 *
 * Entry points: authenticate(), reload(), authFailed().
 * See also: HbaTokenizer, HbaParser -- the file; HbaRules -- matching; IdentFile -- user maps.
 */
package org.osgres.auth.hba;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.AuthMethod;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.auth.ClientAuthentication;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.lifecycle.ServerProcess;
import org.osgres.api.session.TlsInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Component(service = ClientAuthentication.class)
public final class HbaAuthentication implements ClientAuthentication {
    private static final Logger LOG = LoggerFactory.getLogger(HbaAuthentication.class);
    private static final String HBA_FILE = "pg_hba.conf";

    /** Which bundle provides the methods PostgreSQL has that this bundle does not. */
    private static final Map<String, String> METHOD_BUNDLES = Map.of("ldap", "org.osgres.auth.ldap");

    /** How long startup waits for the methods pg_hba.conf names to be provided. */
    static final Duration METHOD_WAIT = Duration.ofSeconds(5);

    private final Map<String, AuthMethod> methods = new ConcurrentHashMap<>();
    private final Object methodsLock = new Object();
    private final RoleMembership roles;
    private volatile IdentFile ident;
    private volatile RoleCatalog catalog;
    private volatile Path hbaFile;
    /** The bundle context while active: whether bundles are still starting, for a method not yet registered. */
    private volatile BundleContext context;
    private volatile long activatedAt;
    private volatile HbaRules rules = new HbaRules(List.of());

    @Reference
    private Settings settings;

    /** For Declarative Services. */
    public HbaAuthentication() {
        this.roles = RoleMembership.SELF_ONLY;
    }

    /** For tests and embedding: the given file and role memberships, no framework. */
    public HbaAuthentication(Path hbaFile, RoleMembership roles) {
        this.hbaFile = hbaFile;
        this.roles = roles;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setIdentFile(IdentFile file) {
        ident = file;
    }

    void unsetIdentFile(IdentFile file) {
        if (ident == file) {
            ident = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setRoleCatalog(RoleCatalog roleCatalog) {
        catalog = roleCatalog;
    }

    void unsetRoleCatalog(RoleCatalog roleCatalog) {
        if (catalog == roleCatalog) {
            catalog = null;
        }
    }

    /** For tests: the user maps clientcert=verify-full checks against. */
    public void setIdentForTests(IdentFile file) {
        ident = file;
    }

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        this.activatedAt = System.nanoTime();
        String configured = settings.get("hba_file");
        hbaFile = configured == null || configured.isEmpty() ? settings.dataDirectory().resolve(HBA_FILE)
                : Path.of(configured);
        if (!loadAtStartup()) {
            LOG.error("FATAL:  could not load pg_hba.conf");
            ServerProcess.exit(context, 1);
            return;
        }
        if (unavailableMethods().isEmpty()) {
            return;
        }
        if (allBundlesActive(context)) {
            failStartup(context, unavailableMethods()); // no bundle is left to start
        } else {
            Thread.ofPlatform().daemon().name("hba-methods").start(() -> checkMethodsAtStartup(context));
        }
    }

    private static void failStartup(BundleContext context, List<String> missing) {
        for (String m : missing) {
            LOG.info("LOG:  {}", m);
        }
        LOG.error("FATAL:  could not load pg_hba.conf");
        ServerProcess.exit(context, 1);
    }

    /**
     * The startup check for methods that plug-in bundles provide: they may register after this
     * component activates, so wait (at most METHOD_WAIT) until every method the file names is
     * there or every bundle marked to start is active; a method still missing is then what a bad
     * line is to PostgreSQL: FATAL "could not load pg_hba.conf", and the server exits. Every
     * bundle event wakes the wait to look again.
     */
    private void checkMethodsAtStartup(BundleContext context) {
        BundleListener listener = event -> methodsChanged();
        context.addBundleListener(listener);
        List<String> missing;
        try {
            missing = awaitMethods(METHOD_WAIT, () -> allBundlesActive(context));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            try {
                context.removeBundleListener(listener);
            } catch (IllegalStateException stopping) {
                // the framework is stopping: nothing to remove
            }
        }
        if (!missing.isEmpty()) {
            failStartup(context, missing);
        }
    }

    /**
     * Every bundle marked to start (fragments and libraries nobody starts aside) is active, and no
     * component of theirs that declares an AuthMethod service is still on its way (declared,
     * enabled, not yet registered: SCR activates components after their bundle is active, and a
     * method whose references come from a later bundle registers later still): none is left that
     * could still provide a method.
     */
    private boolean allBundlesActive(BundleContext context) {
        for (Bundle b : context.getBundles()) {
            BundleStartLevel level = b.adapt(BundleStartLevel.class);
            if (b.getBundleId() != 0 && level != null && level.isPersistentlyStarted()
                    && b.getState() != Bundle.ACTIVE) {
                return false;
            }
        }
        return !methodComponentPending(context);
    }

    /** Whether SCR knows an enabled AuthMethod component whose method is not registered yet. */
    private boolean methodComponentPending(BundleContext context) {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        if (ref == null) {
            return false;
        }
        ServiceComponentRuntime scr = context.getService(ref);
        try {
            if (scr == null) {
                return false;
            }
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                Object name = d.properties.get(AuthMethod.METHOD_PROPERTY);
                if (name != null && d.serviceInterfaces != null
                        && Arrays.asList(d.serviceInterfaces).contains(AuthMethod.class.getName())
                        && !methods.containsKey(name.toString()) && scr.isComponentEnabled(d)) {
                    return true;
                }
            }
            return false;
        } finally {
            context.ungetService(ref);
        }
    }

    /**
     * Waits until every method the rules in force name is provided, or the bound passes, or
     * allStarted says no bundle is left to start; returns the errors for the methods still
     * missing (empty when none).
     */
    List<String> awaitMethods(Duration bound, BooleanSupplier allStarted) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (methodsLock) {
            while (true) {
                List<String> missing = unavailableMethods();
                long left = deadline - System.nanoTime();
                if (missing.isEmpty() || left <= 0 || allStarted.getAsBoolean()) {
                    return missing;
                }
                methodsLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /**
     * A method a line names that is not registered yet while the server is starting (bundles
     * still starting, or within METHOD_WAIT of this component's activation: a method component
     * of an active bundle may register a moment after this one): waits for it, at most
     * METHOD_WAIT. Null when it does not come, or at once when the server is past starting.
     */
    private AuthMethod awaitStartingMethod(String name) {
        BundleContext c = context;
        long deadline = System.nanoTime() + METHOD_WAIT.toNanos();
        synchronized (methodsLock) {
            while (true) {
                AuthMethod m = methods.get(name);
                long left = deadline - System.nanoTime();
                boolean starting;
                try {
                    starting = System.nanoTime() - activatedAt < METHOD_WAIT.toNanos()
                            || c != null && !allBundlesActive(c);
                } catch (IllegalStateException stopped) {
                    starting = false;
                }
                if (m != null || left <= 0 || !starting) {
                    return m;
                }
                try {
                    methodsLock.wait(Math.min(50, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    private void methodsChanged() {
        synchronized (methodsLock) {
            methodsLock.notifyAll();
        }
    }

    @Reference(service = AuthMethod.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addMethod(AuthMethod method, Map<String, Object> properties) {
        Object name = properties.get(AuthMethod.METHOD_PROPERTY);
        if (name != null) {
            methods.put(name.toString(), method);
            methodsChanged();
        }
    }

    void removeMethod(AuthMethod method, Map<String, Object> properties) {
        Object name = properties.get(AuthMethod.METHOD_PROPERTY);
        if (name != null) {
            methods.remove(name.toString(), method);
        }
    }

    /** The rules in force. */
    public HbaRules rules() {
        return rules;
    }

    @Override
    public boolean reload() {
        IdentFile i = ident;
        if (i != null && !i.load()) {
            LOG.info("LOG:  pg_ident.conf was not reloaded");
        }
        if (load()) {
            return true;
        }
        LOG.info("LOG:  pg_hba.conf was not reloaded");
        return false;
    }

    /**
     * load_hba() at a reload: parse the file; only a file without errors, whose every method an
     * AuthMethod service provides, replaces the rules.
     */
    boolean load() {
        return load(false);
    }

    /**
     * load_hba() at startup: as load(), but a method no service provides yet is let through,
     * since plug-in bundles may start after this one (checkMethodsAtStartup() waits for them).
     */
    boolean loadAtStartup() {
        return load(true);
    }

    private boolean load(boolean startup) {
        Path file = hbaFile;
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            LOG.info("LOG:  could not open configuration file \"{}\": No such file or directory", file);
            return false;
        } catch (IOException e) {
            LOG.info("LOG:  could not open configuration file \"{}\": {}", file, e.getMessage());
            return false;
        }
        HbaParser.Result r = HbaParser.parse(text, file, startup ? name -> true : methods::containsKey);
        for (HbaParser.HbaError e : r.errors()) {
            LOG.info("LOG:  {}", e);
        }
        if (!r.ok()) {
            return false;
        }
        if (r.lines().isEmpty()) {
            LOG.info("LOG:  configuration file \"{}\" contains no entries", file);
            return false;
        }
        if (!startup) {
            List<String> missing = unavailableMethods(r.lines());
            for (String m : missing) {
                LOG.info("LOG:  {}", m);
            }
            if (!missing.isEmpty()) {
                return false;
            }
        }
        rules = new HbaRules(r.lines());
        return true;
    }

    /** The errors for the lines in force whose method no AuthMethod service provides. */
    List<String> unavailableMethods() {
        return unavailableMethods(rules.lines());
    }

    private List<String> unavailableMethods(List<HbaLine> lines) {
        List<String> missing = new ArrayList<>();
        for (HbaLine l : lines) {
            if (!methods.containsKey(l.method())) {
                String message = HbaParser.POSTGRES_METHODS.contains(l.method()) ? missingMethod(l.method())
                        : "invalid authentication method \"" + l.method() + "\"";
                missing.add(message + "\nCONTEXT:  line " + l.lineNumber() + " of configuration file \""
                        + l.file() + "\"");
            }
        }
        return missing;
    }

    @Override
    public void authenticate(AuthRequest request, AuthExchange exchange) throws IOException {
        RoleCatalog c = catalog;
        Optional<HbaLine> line = rules.match(request, c == null ? roles : c::isMemberOf);
        if (line.isEmpty()) {
            throw PgException.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "no pg_hba.conf entry for host \"" + request.origin().hostForMessages() + "\", user \""
                            + request.user() + "\", database \"" + request.database() + "\", "
                            + encryptionState(request));
        }
        HbaLine hba = line.get();
        String matched = "Connection matched pg_hba.conf line " + hba.lineNumber() + ": \"" + hba.rawLine().strip()
                + "\"";
        AuthMethod method = methods.get(hba.method());
        if (method == null) {
            method = awaitStartingMethod(hba.method());
        }
        if (method == null) {
            throw PgException.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, missingMethod(hba.method()))
                    .withLogDetail(matched);
        }
        String clientcert = hba.method().equals("cert") ? "verify-full" : hba.options().get("clientcert");
        TlsInfo tls = request.origin().tls();
        if (clientcert != null && (tls == null || tls.peerCertificates().isEmpty())) {
            throw PgException.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "connection requires a valid client certificate");
        }
        try {
            method.authenticate(request, hba.options(), exchange);
            IdentFile i = ident;
            if ("verify-full".equals(clientcert) && !hba.method().equals("cert")
                    && (i == null || !CertAuthMethod.checkCertAuth(request, hba.options(), i, hba.method()))) {
                throw authFailed(hba.method(), request.user());
            }
        } catch (PgException e) {
            if (e.sqlState() == SqlState.INVALID_PASSWORD || e.sqlState() == SqlState.INVALID_AUTHORIZATION_SPECIFICATION) {
                e.withLogDetail(e.logDetail() == null ? matched : e.logDetail() + "\n\t" + matched);
            }
            throw e;
        }
    }

    /** The error for a method no installed bundle provides, naming the bundle that would. */
    static String missingMethod(String method) {
        String bundle = METHOD_BUNDLES.get(method);
        return "authentication method \"" + method + "\" is not available: "
                + (bundle != null ? "the bundle " + bundle + " that provides it is not installed"
                        : "no installed bundle provides it");
    }

    /**
     * auth_failed(): the FATAL a failed method reports, by method, as PostgreSQL words it; 28P01
     * for the password methods, 28000 for the others.
     */
    public static PgException authFailed(String method, String user) {
        String text = switch (method) {
            case "password", "md5", "scram-sha-256" -> "password authentication failed for user \"%s\"";
            case "trust" -> "\"trust\" authentication failed for user \"%s\"";
            case "reject" -> "authentication failed for user \"%s\": host rejected";
            case "ident" -> "Ident authentication failed for user \"%s\"";
            case "peer" -> "Peer authentication failed for user \"%s\"";
            case "gss" -> "GSSAPI authentication failed for user \"%s\"";
            case "sspi" -> "SSPI authentication failed for user \"%s\"";
            case "pam" -> "PAM authentication failed for user \"%s\"";
            case "bsd" -> "BSD authentication failed for user \"%s\"";
            case "ldap" -> "LDAP authentication failed for user \"%s\"";
            case "cert" -> "certificate authentication failed for user \"%s\"";
            case "radius" -> "RADIUS authentication failed for user \"%s\"";
            default -> "authentication failed for user \"%s\": invalid authentication method";
        };
        SqlState state = text.startsWith("password") ? SqlState.INVALID_PASSWORD
                : SqlState.INVALID_AUTHORIZATION_SPECIFICATION;
        return PgException.fatal(state, String.format(text, user));
    }

    /** The last words of PostgreSQL's rejection messages. */
    static String encryptionState(AuthRequest request) {
        return request.origin().ssl() ? "SSL encryption" : "no encryption";
    }

    /**
     * The file on disk parsed now, line by line (pg_hba_file_rules reads the file, not the rules
     * in force); a line whose method no bundle provides shows that error, as a reload would.
     */
    public HbaParser.Result parseFileNow() throws IOException {
        Path file = hbaFile;
        HbaParser.Result r = HbaParser.parse(Files.readString(file, StandardCharsets.UTF_8), file, methods::containsKey);
        List<HbaParser.Entry> entries = new ArrayList<>();
        List<HbaParser.HbaError> errors = new ArrayList<>(r.errors());
        for (HbaParser.Entry e : r.entries()) {
            if (e.line() != null && !methods.containsKey(e.line().method())) {
                HbaParser.HbaError error = new HbaParser.HbaError(file, e.lineNumber(), missingMethod(e.line().method()),
                        null);
                errors.add(error);
                entries.add(new HbaParser.Entry(e.lineNumber(), null, error, e.connType()));
            } else {
                entries.add(e);
            }
        }
        return new HbaParser.Result(errors.isEmpty() ? r.lines() : List.of(), List.copyOf(errors), List.copyOf(entries));
    }

    /** Names of the methods currently provided (for tests and diagnostics). */
    List<String> methodNames() {
        return new ArrayList<>(methods.keySet());
    }
}
