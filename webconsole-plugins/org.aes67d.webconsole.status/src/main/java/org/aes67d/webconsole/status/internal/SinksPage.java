package org.aes67d.webconsole.status.internal;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** Web Console page "AES67 > Sinks": the local sinks with live status, their forms and channel maps. */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + SinksPage.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Sinks",
        ServletConstants.PLUGIN_CATEGORY + "=AES67" })
public final class SinksPage extends AdminPage {
    private static final long serialVersionUID = 1L;
    static final String LABEL = "aes67-sinks";

    @Activate
    public SinksPage(BundleContext context) {
        super(LABEL, cacheKey(context), "meters");
    }
}
