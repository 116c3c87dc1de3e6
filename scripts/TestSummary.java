import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Totals of every JUnit XML report under the given folder (Surefire, Failsafe, and every junit.xml: node's test
 * runner in e2e/out/, the package test in packaging/target/), one line per skipped test with its reason, and a last line "tests: N passed, N failed, N
 * skipped". Run with the JDK's source launcher: {@code java scripts/TestSummary.java .}. Exit status 1 when a
 * test failed, or when no test ran at all.
 */
public final class TestSummary {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        List<Path> reports;
        try (Stream<Path> s = Files.walk(root)) {
            reports = s.filter(TestSummary::isReport).sorted().collect(Collectors.toList());
        }
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        var factory = DocumentBuilderFactory.newInstance();
        for (Path report : reports) {
            // Node's junit reporter copies terminal escapes (ESC) of error messages, which XML 1.0 forbids.
            String xml = Files.readString(report).replaceAll("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]", "");
            NodeList cases = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)))
                    .getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                String name = c.getAttribute("classname") + " " + c.getAttribute("name");
                if (first(c, "failure") != null || first(c, "error") != null) {
                    failed++;
                    System.out.println("FAILED  " + name.strip());
                } else if (first(c, "skipped") != null) {
                    skipped++;
                    Element s = first(c, "skipped");
                    String why = s.getAttribute("message").isEmpty() ? s.getTextContent() : s.getAttribute("message");
                    System.out.println("SKIPPED " + name.strip() + ": "
                            + (why.isBlank() ? "(no reason given)" : why.strip().lines().findFirst().orElse("")));
                } else {
                    passed++;
                }
            }
        }
        System.out.println("tests: " + passed + " passed, " + failed + " failed, " + skipped + " skipped");
        System.exit(failed > 0 || passed == 0 ? 1 : 0);
    }

    private static boolean isReport(Path p) {
        String name = p.getFileName().toString();
        String dir = p.getParent() == null ? "" : p.getParent().getFileName().toString();
        return name.endsWith(".xml") && !p.toString().contains("node_modules")
                && ((name.startsWith("TEST-") && (dir.equals("surefire-reports") || dir.equals("failsafe-reports")))
                        || name.equals("junit.xml")); // e2e/out/ (node's runner), packaging/target/
    }

    private static Element first(Element parent, String tag) {
        NodeList l = parent.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    private TestSummary() {
    }
}
