package dev.ticker.stream.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildTest {

    @Test
    void readsWhatTheBuildFilledIn() {
        Properties properties = new Properties();
        properties.setProperty("version", "1.0.0");
        properties.setProperty("commit", "2aee8a1");
        properties.setProperty("dirty", "false");
        assertEquals(new Build("1.0.0", "2aee8a1", false), Build.from(properties));
        properties.setProperty("dirty", "true");
        assertEquals(new Build("1.0.0", "2aee8a1", true), Build.from(properties));
    }

    @Test
    void placeholdersTheBuildLeftAndMissingValuesReadAsUnknown() {
        Properties unfiltered = new Properties();
        unfiltered.setProperty("version", "${project.version}");
        unfiltered.setProperty("commit", "${ticker.commit}");
        unfiltered.setProperty("dirty", "${ticker.dirty}");
        assertEquals(Build.UNKNOWN, Build.from(unfiltered));
        assertEquals(Build.UNKNOWN, Build.from(new Properties()));
    }
}
