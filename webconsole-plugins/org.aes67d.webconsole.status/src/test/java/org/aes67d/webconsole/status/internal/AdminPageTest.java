package org.aes67d.webconsole.status.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

class AdminPageTest {

    /** A context whose bundle answers getLastModified; nothing else is used by the pages. */
    private static BundleContext context() {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] { Bundle.class },
                (p, m, a) -> m.getName().equals("getLastModified") ? 1_700_000_000_000L : null);
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] { BundleContext.class }, (p, m, a) -> m.getName().equals("getBundle") ? bundle : null);
    }

    private static List<AdminPage> pages() {
        BundleContext c = context();
        return List.of(new PtpPage(c), new SourcesPage(c), new SinksPage(c), new BrowserPage(c), new ConfigPage(c),
                new StreamerPage(c));
    }

    private static String render(AdminPage page, String appRoot, String pluginRoot) {
        StringWriter s = new StringWriter();
        page.render(new PrintWriter(s), appRoot, pluginRoot);
        return s.toString();
    }

    @Test
    void everyFileAPageLoadsExists() {
        Pattern src = Pattern.compile("(?:src|href)='/system/console/[a-z0-9-]+(/res/aes67/[a-z0-9-]+\\.(?:js|css))\\?v=");
        for (AdminPage page : pages()) {
            String label = page.label();
            String html = render(page, "/system/console", "/system/console/" + label);
            Matcher m = src.matcher(html);
            int found = 0;
            while (m.find()) {
                found++;
                assertNotNull(page.getResource("/" + label + m.group(1)), m.group(1));
            }
            // stylesheet, shared script, page script; the meters' script on the pages with meters
            boolean meters = page instanceof SourcesPage || page instanceof SinksPage;
            assertEquals(meters ? 4 : 3, found, html);
            assertTrue(html.contains("data-api='/api'"), html);
        }
    }

    @Test
    void pathsFromTheRequestAreEscaped() {
        String html = render(pages().get(0), "/c'><script>alert(1)</script>", "/c'><script>alert(1)</script>/x");
        assertFalse(html.contains("<script>alert"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
    }

    @Test
    void onlyOurOwnFlatResourcesAreServed() {
        AdminPage page = pages().get(0);
        assertNotNull(page.getResource("/aes67-ptp/res/aes67/ptp.js"));
        assertNotNull(page.getResource("/aes67-ptp/res/aes67/config-keys.json"));
        assertNull(page.getResource("/aes67-ptp/res/aes67/../aes67/ptp.js"));
        assertNull(page.getResource("/aes67-ptp/res/aes67/missing.js"));
        assertNull(page.getResource("/aes67-ptp/org/aes67d/webconsole/status/internal/Html.class"));
        assertNull(page.getResource("/aes67-ptp/res/aes67/sub/ptp.js"));
        assertNull(page.getResource("/aes67-ptp"));
        assertNull(page.getResource(null));
    }
}
