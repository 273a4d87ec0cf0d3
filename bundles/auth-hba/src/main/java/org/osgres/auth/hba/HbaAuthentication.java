/*
 * HbaAuthentication: client authentication by pg_hba.conf (PostgreSQL: ClientAuthentication() in
 * libpq/auth.c, load_hba() in libpq/hba.c).
 *
 * At activation it loads the file named by the hba_file setting; a file with errors at startup
 * is FATAL ("could not load pg_hba.conf") and the server exits with code 1. reload() is the
 * SIGHUP path: a file with errors leaves the old rules in force ("pg_hba.conf was not
 * reloaded"). authenticate() finds the first matching line and runs its method, an AuthMethod
 * service looked up by its osgres.auth.method property; trust and reject are in this bundle, the
 * password methods come from other bundles.
 *
 * Entry points: authenticate(), reload().
 * See also: HbaTokenizer, HbaParser -- the file; HbaRules -- matching.
 */
package org.osgres.auth.hba;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.AuthMethod;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.auth.ClientAuthentication;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.lifecycle.ServerProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Component(service = ClientAuthentication.class)
public final class HbaAuthentication implements ClientAuthentication {
    private static final Logger LOG = LoggerFactory.getLogger(HbaAuthentication.class);
    private static final String HBA_FILE = "pg_hba.conf";

    private final Map<String, AuthMethod> methods = new ConcurrentHashMap<>();
    private final RoleMembership roles;
    private volatile Path hbaFile;
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

    @Activate
    void activate(BundleContext context) {
        String configured = settings.get("hba_file");
        hbaFile = configured == null || configured.isEmpty() ? settings.dataDirectory().resolve(HBA_FILE)
                : Path.of(configured);
        if (!load()) {
            LOG.error("FATAL:  could not load pg_hba.conf");
            ServerProcess.exit(context, 1);
        }
    }

    @Reference(service = AuthMethod.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addMethod(AuthMethod method, Map<String, Object> properties) {
        Object name = properties.get(AuthMethod.METHOD_PROPERTY);
        if (name != null) {
            methods.put(name.toString(), method);
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
        if (load()) {
            return true;
        }
        LOG.info("LOG:  pg_hba.conf was not reloaded");
        return false;
    }

    /** load_hba(): parse the file; only a file without errors replaces the rules. */
    boolean load() {
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
        HbaParser.Result r = HbaParser.parse(text, file, methods::containsKey);
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
        for (HbaLine l : r.lines()) {
            if (!methods.containsKey(l.method())) {
                LOG.info("LOG:  authentication method \"{}\" is not provided by any installed bundle"
                        + "\nCONTEXT:  line {} of configuration file \"{}\"", l.method(), l.lineNumber(), file);
            }
        }
        rules = new HbaRules(r.lines());
        return true;
    }

    @Override
    public void authenticate(AuthRequest request, AuthExchange exchange) throws IOException {
        Optional<HbaLine> line = rules.match(request, roles);
        if (line.isEmpty()) {
            throw PgException.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "no pg_hba.conf entry for host \"" + request.origin().hostForMessages() + "\", user \""
                            + request.user() + "\", database \"" + request.database() + "\", "
                            + encryptionState(request));
        }
        HbaLine hba = line.get();
        AuthMethod method = methods.get(hba.method());
        if (method == null) {
            LOG.info("LOG:  no installed bundle provides authentication method \"{}\"\nDETAIL:  Connection matched"
                    + " pg_hba.conf line {}: \"{}\"", hba.method(), hba.lineNumber(), hba.rawLine().strip());
            throw PgException.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "authentication method \"" + hba.method() + "\" is not available: no installed bundle provides it");
        }
        method.authenticate(request, hba.options(), exchange);
    }

    /** The last words of PostgreSQL's rejection messages. */
    static String encryptionState(AuthRequest request) {
        return request.origin().ssl() ? "SSL encryption" : "no encryption";
    }

    /** Names of the methods currently provided (for tests and diagnostics). */
    List<String> methodNames() {
        return new ArrayList<>(methods.keySet());
    }
}
