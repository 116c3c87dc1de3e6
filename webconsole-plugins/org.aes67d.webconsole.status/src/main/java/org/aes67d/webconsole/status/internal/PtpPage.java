package org.aes67d.webconsole.status.internal;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/** Web Console page "AES67 > PTP": live clock status, domain and DSCP. */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + PtpPage.LABEL,
        ServletConstants.PLUGIN_TITLE + "=PTP",
        ServletConstants.PLUGIN_CATEGORY + "=AES67" })
public final class PtpPage extends AdminPage {
    private static final long serialVersionUID = 1L;
    static final String LABEL = "aes67-ptp";

    @Activate
    public PtpPage(BundleContext context) {
        super(LABEL, cacheKey(context));
    }
}
