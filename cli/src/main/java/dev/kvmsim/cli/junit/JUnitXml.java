package dev.kvmsim.cli.junit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a JUnit XML report in the Ant / Maven Surefire form that CI systems read
 * (Jenkins, GitLab, GitHub test reporters): {@code <testsuites>} holding one
 * {@code <testsuite>} per scenario, one {@code <testcase>} per expectation (classname = the
 * scenario's name), a {@code <failure message type>} whose text gives expected and actual.
 */
public final class JUnitXml {
    private JUnitXml() { }

    /** A failed check: a one-line message, a type and a longer text. */
    public record Failure(String message, String type, String text) { }

    /** One expectation. */
    public record TestCase(String classname, String name, double timeSeconds, Optional<Failure> failure) {
        public static TestCase passed(String classname, String name, double timeSeconds) {
            return new TestCase(classname, name, timeSeconds, Optional.empty());
        }

        public static TestCase failed(String classname, String name, double timeSeconds, Failure f) {
            return new TestCase(classname, name, timeSeconds, Optional.of(f));
        }
    }

    /**
     * One scenario file.
     *
     * @param errors test cases that could not run (a scenario that failed to load counts one error)
     * @param errorText the reason for those errors (empty when none)
     */
    public record TestSuite(String name, String timestamp, double timeSeconds, List<TestCase> cases,
                            int errors, String errorText, String systemOut) {
        public long failures() {
            return cases.stream().filter(c -> c.failure().isPresent()).count();
        }
    }

    /** Writes {@code suites} to {@code file}. */
    public static void write(Path file, List<TestSuite> suites) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                write(out, suites);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JUnit report " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code suites} as UTF-8 XML to {@code out} (not closed). */
    public static void write(OutputStream out, List<TestSuite> suites) throws IOException {
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            long tests = 0;
            long failures = 0;
            long errors = 0;
            double time = 0;
            for (TestSuite s : suites) {
                tests += s.cases().size() + s.errors();
                failures += s.failures();
                errors += s.errors();
                time += s.timeSeconds();
            }
            w.writeStartElement("testsuites");
            w.writeAttribute("name", "kvmsim check");
            w.writeAttribute("tests", Long.toString(tests));
            w.writeAttribute("failures", Long.toString(failures));
            w.writeAttribute("errors", Long.toString(errors));
            w.writeAttribute("time", seconds(time));
            w.writeCharacters("\n");
            for (TestSuite s : suites) {
                suite(w, s);
            }
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.flush();
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
        }
    }

    private static void suite(XMLStreamWriter w, TestSuite s) throws XMLStreamException {
        w.writeCharacters("  ");
        w.writeStartElement("testsuite");
        w.writeAttribute("name", s.name());
        w.writeAttribute("tests", Integer.toString(s.cases().size() + s.errors()));
        w.writeAttribute("failures", Long.toString(s.failures()));
        w.writeAttribute("errors", Integer.toString(s.errors()));
        w.writeAttribute("skipped", "0");
        w.writeAttribute("time", seconds(s.timeSeconds()));
        w.writeAttribute("timestamp", s.timestamp());
        w.writeCharacters("\n");
        for (TestCase c : s.cases()) {
            testcase(w, c);
        }
        if (s.errors() > 0) {
            w.writeCharacters("    ");
            w.writeStartElement("testcase");
            w.writeAttribute("classname", s.name());
            w.writeAttribute("name", "load");
            w.writeAttribute("time", seconds(0));
            w.writeStartElement("error");
            w.writeAttribute("message", firstLine(s.errorText()));
            w.writeAttribute("type", "invalid-scenario");
            w.writeCharacters(s.errorText());
            w.writeEndElement();
            w.writeEndElement();
            w.writeCharacters("\n");
        }
        if (!s.systemOut().isEmpty()) {
            w.writeCharacters("    ");
            w.writeStartElement("system-out");
            w.writeCharacters(s.systemOut());
            w.writeEndElement();
            w.writeCharacters("\n");
        }
        w.writeCharacters("  ");
        w.writeEndElement();
        w.writeCharacters("\n");
    }

    private static void testcase(XMLStreamWriter w, TestCase c) throws XMLStreamException {
        w.writeCharacters("    ");
        w.writeStartElement("testcase");
        w.writeAttribute("classname", c.classname());
        w.writeAttribute("name", c.name());
        w.writeAttribute("time", seconds(c.timeSeconds()));
        if (c.failure().isPresent()) {
            Failure f = c.failure().get();
            w.writeStartElement("failure");
            w.writeAttribute("message", f.message());
            w.writeAttribute("type", f.type());
            w.writeCharacters(f.text());
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeCharacters("\n");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
