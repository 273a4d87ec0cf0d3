package org.osgres.logging;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.config.Settings;
import org.osgres.api.lifecycle.BackgroundWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the server's settings into ServerLog (PostgreSQL: the GUCs of elog.c and syslogger.c):
 * log_line_prefix, log_min_messages and log_timezone at once and on every reload; with
 * logging_collector on (a postmaster setting: read at start only) it registers the logger
 * worker, which the postmaster then runs and supervises. Only log_destination "stderr" is
 * written; csvlog, jsonlog and syslog are accepted and logged as not supported.
 *
 * <p>It reads the settings snapshot that the config bundle writes back to Configuration Admin on
 * SIGHUP (PID org.osgres.settings), so a reload reaches it without a restart.
 */
@Component(immediate = true, configurationPid = "org.osgres.settings", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class LoggingSettings {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingSettings.class);

    private final Settings settings;
    private volatile SysLogger.Files files;
    private ServiceRegistration<BackgroundWorker> collector;

    @Activate
    public LoggingSettings(BundleContext context, @Reference Settings settings, Map<String, Object> properties) {
        this.settings = settings;
        apply(properties);
        if (settings.getBool("logging_collector")) {
            ServerLog.INSTANCE.writeStderr(LogLevel.LOG, "redirecting log output to logging collector process\n"
                    + "HINT:  Future log output will appear in directory \"" + settings.get("log_directory") + "\".");
            BlockingQueue<String> queue = ServerLog.INSTANCE.startCollecting();
            collector = context.registerService(BackgroundWorker.class, new SysLogger(queue, () -> files), null);
        }
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private void apply(Map<String, Object> properties) {
        String prefix = value(properties, "log_line_prefix");
        LogLevel min = LogLevel.ofSetting(value(properties, "log_min_messages"));
        ZoneId zone = zone(value(properties, "log_timezone"));
        ServerLog.INSTANCE.configure(new ServerLog.Config(prefix, min, zone));
        files = new SysLogger.Files(SysLogger.resolveDirectory(settings.dataDirectory(), value(properties, "log_directory")),
                value(properties, "log_filename"), Integer.parseInt(value(properties, "log_rotation_age")),
                Long.parseLong(value(properties, "log_rotation_size")),
                "on".equals(value(properties, "log_truncate_on_rotation")), zone);
        String destination = value(properties, "log_destination");
        if (!destination.trim().equalsIgnoreCase("stderr")) {
            LOG.warn("log_destination \"{}\" is not supported; logging to stderr", destination);
        }
    }

    /** The snapshot's value, else the Settings service's (at activation without a configuration). */
    private String value(Map<String, Object> properties, String name) {
        Object v = properties == null ? null : properties.get(name);
        return v != null ? v.toString() : settings.get(name);
    }

    private static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            return ZoneId.of("GMT");
        }
    }

    @Deactivate
    void deactivate() {
        if (collector != null) {
            collector.unregister();
            collector = null;
        }
        // lines from here on (the framework stopping) go to stderr; the queue's rest was drained
        ServerLog.INSTANCE.stopCollecting();
    }
}
