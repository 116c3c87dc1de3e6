package org.aes67d.webconsole.status.internal;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** Web Console page "AES67 > Config": every daemon.conf key with its meaning, checks and restart flag. */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + ConfigPage.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Config",
        ServletConstants.PLUGIN_CATEGORY + "=AES67" })
public final class ConfigPage extends AdminPage {
    private static final long serialVersionUID = 1L;
    static final String LABEL = "aes67-config";

    @Activate
    public ConfigPage(BundleContext context) {
        super(LABEL, cacheKey(context));
    }
}
