package dev.kvmsim.cli.junit;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

public class JUnitXmlTest {
    public static void validate(byte[] xml) throws Exception {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Schema schema = f.newSchema(new StreamSource(JUnitXmlTest.class.getResourceAsStream("/xsd/junit-ant-surefire.xsd")));
        schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(xml)));
    }

    @Test
    void shouldValidateAgainstTheAntSurefireSchema() throws Exception {
        JUnitXml.TestSuite ok = new JUnitXml.TestSuite("virtio-net-notify", "2026-01-01T00:00:00", 0.25,
                List.of(JUnitXml.TestCase.passed("virtio-net-notify", "expect[0] eventfd kick0 counter", 0.25),
                        JUnitXml.TestCase.failed("virtio-net-notify", "expect[1] vcpu 0 delivered", 0.25,
                                new JUnitXml.Failure("expected == 1000, actual 999 <&>", "expectation",
                                        "file.yaml:30:5: expected == 1000, actual 999"))),
                0, "", "");
        JUnitXml.TestSuite broken = new JUnitXml.TestSuite("broken.yaml", "2026-01-01T00:00:00", 0, List.of(),
                1, "broken.yaml:3:1: unknown key 'vmm'", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JUnitXml.write(out, List.of(ok, broken));
        validate(out.toByteArray());
    }

    @Test
    void schemaRejectsATestcaseWithoutClassname() {
        byte[] bad = "<testsuites><testsuite name=\"a\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"0\"><testcase name=\"x\" time=\"0\"/></testsuite></testsuites>"
                .getBytes(StandardCharsets.UTF_8);
        assertThrows(SAXException.class, () -> validate(bad));
    }
}
