package org.aes67d.webconsole.status.internal;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** Web Console page "AES67 > Sources": the local sources, their forms and SDP. */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + SourcesPage.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Sources",
        ServletConstants.PLUGIN_CATEGORY + "=AES67" })
public final class SourcesPage extends AdminPage {
    private static final long serialVersionUID = 1L;
    static final String LABEL = "aes67-sources";

    @Activate
    public SourcesPage(BundleContext context) {
        super(LABEL, cacheKey(context), "meters");
    }
}
