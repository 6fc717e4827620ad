package dev.kvmsim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "250ns, 250",
        "1.5us, 1500",
        "2ms, 2000000",
        "1s, 1000000000",
        "0ns, 0",
        "0.5s, 500000000",
        "' 3us ', 3000",
        "9223372036854775807ns, 9223372036854775807",
        "9223372036.854775807s, 9223372036854775807",
    })
    void parse_validForms(String text, long ns) {
        assertEquals(ns, Durations.parse(text));
    }

    @Test
    void parse_badUnit_quotesTheStringAndSaysWhatIsExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 parsecs"));
        assertTrue(e.getMessage().startsWith("bad duration \"5 parsecs\": "), e.getMessage());
        assertTrue(e.getMessage().contains("expected a number with a unit ns, us, ms or s, like \"2us\""), e.getMessage());
        assertTrue(e.getMessage().contains("unknown unit \"parsecs\""), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''          | empty",
        "'   '       | empty",
        "5           | no unit",
        "1.5         | no unit",
        "5xs         | unknown unit \"xs\"",
        "5MS         | unknown unit \"MS\"",
        "-5us        | negative",
        "-0ns        | negative",
        "us          | expected a number",
        "1.2.3us     | expected a number",
        ".5us        | expected a number",
        "1.us        | expected a number",
        "1e3ns       | expected a number",
        "5 us        | expected a number",
        "+5us        | expected a number",
        "1.5ns       | not a whole number of nanoseconds",
        "9223372036854775808ns | too long",
        "10000000000s | too long",
        "99999999999999999999999999ms | too long",
    })
    void parse_badForms(String text, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().startsWith("bad duration \"" + text + "\": "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void parse_null_isRejectedWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
        assertTrue(e.getMessage().contains("expected a number with a unit"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0ns",
        "250, 250ns",
        "999, 999ns",
        "1000, 1us",
        "1500, 1.5us",
        "1234, 1.234us",
        "2000000, 2ms",
        "2500001, 2.500001ms",
        "1000000000, 1s",
        "90000000000, 90s",
        "-1500, -1.5us",
        "-9223372036854775808, -9223372036.854775808s",
    })
    void format_compactExactForm(long ns, String text) {
        assertEquals(text, Durations.format(ns));
    }

    @Property
    void format_thenParse_roundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long ns) {
        assertEquals(ns, Durations.parse(Durations.format(ns)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1us", "1.5ms", "250ns", "3s"})
    void parse_thenFormat_isCanonical(String text) {
        assertEquals(text, Durations.format(Durations.parse(text)));
    }
}
