package org.aes67d.health.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on the Felix Health Checks servlet at {@code /system/health} ({@code .json}, {@code .txt}, {@code .html};
 * {@code ?tags=aes67d} for ours), which needs a configuration to start. An operator's own configuration of that
 * PID is left as it is.
 */
@Component(immediate = true, service = {})
public final class HealthEndpoint {
    static final String SERVLET_PID = "org.apache.felix.hc.core.impl.servlet.HealthCheckExecutorServlet";
    static final String PATH = "/system/health";
    private static final Logger LOG = LoggerFactory.getLogger(HealthEndpoint.class);

    @Activate
    public HealthEndpoint(@Reference ConfigurationAdmin configAdmin) {
        try {
            Configuration c = configAdmin.getConfiguration(SERVLET_PID, "?");
            if (c.getProperties() == null) {
                Dictionary<String, Object> p = new Hashtable<>();
                p.put("servletPath", PATH);
                p.put("format", "json");
                c.update(p);
            }
        } catch (IOException e) {
            LOG.error("cannot configure the health check servlet at {}: {}", PATH, e.getMessage());
        }
    }
}
