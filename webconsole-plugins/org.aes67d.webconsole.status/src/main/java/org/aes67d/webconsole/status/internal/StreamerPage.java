package org.aes67d.webconsole.status.internal;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** Web Console page "AES67 > Streamer": per sink status and file window of the HTTP streamer, and a live player. */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + StreamerPage.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Streamer",
        ServletConstants.PLUGIN_CATEGORY + "=AES67" })
public final class StreamerPage extends AdminPage {
    private static final long serialVersionUID = 1L;
    static final String LABEL = "aes67-streamer";

    @Activate
    public StreamerPage(BundleContext context) {
        super(LABEL, cacheKey(context));
    }
}
