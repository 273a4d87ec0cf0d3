/*
 * ConfigLoader: reads the configuration at server start (PostgreSQL: SelectConfigFiles() and the
 * first ProcessConfigFile() in the postmaster).
 *
 * On activation it takes the data directory from the framework property osgres.data_directory
 * and the -c settings from osgres.command_line_settings (ServerProcess), reads
 * <data_directory>/postgresql.conf (and postgresql.auto.conf), and stores the result in
 * Configuration Admin under org.osgres.settings, which activates SettingsService. A file with
 * errors is FATAL: the errors are logged and the server exits with code 1.
 *
 * Entry points: the activation. See also: ConfigProcessor, SettingsConfig.
 */
package org.osgres.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.lifecycle.ServerProcess;
import org.osgres.config.guc.GucTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Component(service = {}, immediate = true)
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    @Activate
    public ConfigLoader(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        String dataDirectory = context.getProperty(ServerProcess.DATA_DIRECTORY);
        if (dataDirectory == null || dataDirectory.isBlank()) {
            LOG.error("FATAL:  no data directory given: framework property {} is not set",
                    ServerProcess.DATA_DIRECTORY);
            ServerProcess.exit(context, 1);
            return;
        }
        Map<String, String> commandLine =
                ConfigProcessor.parseCommandLine(context.getProperty(ServerProcess.COMMAND_LINE_SETTINGS));
        ConfigProcessor.Outcome o = ConfigProcessor.startup(GucTable.standard(), Path.of(dataDirectory), commandLine);
        for (ConfigProcessor.LogLine l : o.log()) {
            if ("FATAL".equals(l.severity())) {
                LOG.error("{}", l);
            } else {
                LOG.info("{}", l);
            }
        }
        if (!o.ok()) {
            ServerProcess.exit(context, 1);
            return;
        }
        try {
            Configuration c = configAdmin.getConfiguration(SettingsConfig.PID, "?");
            c.update(SettingsConfig.toProperties(o.state()));
        } catch (IOException e) {
            LOG.error("FATAL:  could not store the settings in Configuration Admin: {}", e.toString());
            ServerProcess.exit(context, 1);
        }
    }
}
