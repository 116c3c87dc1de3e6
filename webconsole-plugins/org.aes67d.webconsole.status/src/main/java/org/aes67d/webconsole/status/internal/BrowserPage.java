package org.aes67d.webconsole.status.internal;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** Web Console page "AES67 > Browser": remote sources found by discovery, turned into sinks. */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + BrowserPage.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Browser",
        ServletConstants.PLUGIN_CATEGORY + "=AES67" })
public final class BrowserPage extends AdminPage {
    private static final long serialVersionUID = 1L;
    static final String LABEL = "aes67-browser";

    @Activate
    public BrowserPage(BundleContext context) {
        super(LABEL, cacheKey(context));
    }
}
