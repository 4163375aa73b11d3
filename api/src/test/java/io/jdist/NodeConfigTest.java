package io.jdist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.internal.discovery.EpmdDiscovery;
import io.jdist.internal.discovery.FixedPortDiscovery;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

    private static Properties properties(String... keysAndValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    @Test
    void defaultsAreOtpsWhenOnlyANameIsGiven() {
        NodeConfig config = NodeConfig.builder().build(properties("dist.sname", "a@myhost"));

        assertEquals("a@myhost", config.name());
        assertEquals("tcp", config.carrier());
        assertEquals(Duration.ofSeconds(60), config.ticktime());
        assertEquals(0, config.port());
        assertEquals(null, config.bindAddress(), "every address");
        assertEquals(Duration.ofSeconds(7), config.setupTimeout());
        assertEquals(Optional.empty(), config.discovery(), "the carrier's own, else EPMD");
        assertEquals(Map.of(), config.carrierSettings());
        assertEquals(false, config.visible(), "hidden, as JInterface nodes are");
    }

    @Test
    void visibilityComesFromTheBuilderElseDistVisible() {
        assertEquals(true, NodeConfig.builder().build(properties("dist.sname", "a@h", "dist.visible", "true")).visible());
        assertEquals(false, NodeConfig.builder().visible(false)
                .build(properties("dist.sname", "a@h", "dist.visible", "true")).visible());
        assertEquals(true, NodeConfig.builder().sname("a@h").visible(true).build(properties()).visible());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.builder().build(properties("dist.sname", "a@h", "dist.visible", "yes")));
        assertEquals("expected true or false for -Ddist.visible but was 'yes'", bad.getMessage());
    }

    @Test
    void builderWinsOverPropertiesWhichWinOverDefaults() throws UnknownHostException {
        Properties properties = properties("dist.sname", "fromprop@h", "dist.ticktime", "15", "dist.carrier", "tls",
                "dist.port", "4370", "dist.epmdPort", "4400", "dist.cookie", "propcookie",
                "dist.bindAddress", "127.0.0.1");

        NodeConfig fromProperties = NodeConfig.builder().build(properties);
        assertEquals("fromprop@h", fromProperties.name());
        assertEquals(Duration.ofSeconds(15), fromProperties.ticktime());
        assertEquals("tls", fromProperties.carrier());
        assertEquals(4370, fromProperties.port());
        assertEquals(4400, fromProperties.epmdPort());
        assertEquals("propcookie", fromProperties.cookie());
        assertEquals(InetAddress.getLoopbackAddress(), fromProperties.bindAddress());

        NodeConfig fromBuilder = NodeConfig.builder().sname("built@h").ticktime(Duration.ofSeconds(5)).carrier("tcp")
                .port(0).epmdPort(4500).cookie("builtcookie").bindAddress(InetAddress.getByName("127.0.0.2"))
                .build(properties);
        assertEquals("built@h", fromBuilder.name());
        assertEquals(Duration.ofSeconds(5), fromBuilder.ticktime());
        assertEquals("tcp", fromBuilder.carrier());
        assertEquals(0, fromBuilder.port());
        assertEquals(4500, fromBuilder.epmdPort());
        assertEquals("builtcookie", fromBuilder.cookie());
        assertEquals(InetAddress.getByName("127.0.0.2"), fromBuilder.bindAddress());
    }

    @Test
    void carrierSettingsComeFromTheCarriersOwnPropertiesAndTheBuilder() {
        Properties properties = properties("dist.sname", "a@h", "dist.carrier", "tls", "dist.tls.certFile", "/c.pem",
                "dist.tls.verify", "peer", "dist.tcp.transport", "nio");

        NodeConfig config = NodeConfig.builder().carrierSetting("verify", "none").build(properties);

        assertEquals(Map.of("certFile", "/c.pem", "verify", "none"), config.carrierSettings());
    }

    @Test
    void toStringNeverShowsTheCookie() {
        NodeConfig config = NodeConfig.builder().sname("a@h").cookie("secret-cookie-value").build(properties());

        assertTrue(!config.toString().contains("secret-cookie-value"), config.toString());
    }

    @Test
    void aNodeNeedsExactlyOneKindOfName() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.builder().build(properties()));
        assertEquals("a node needs a name: set sname or name (-Ddist.sname=NAME)", none.getMessage());

        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.builder().sname("a").build(properties("dist.name", "b@x.y")));
        assertEquals("a node has either a short name (sname) or a long name (name), not both", both.getMessage());
    }

    @Test
    void badPropertyValuesAreReportedWithTheProperty() {
        IllegalArgumentException ticktime = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.builder().build(properties("dist.sname", "a@h", "dist.ticktime", "soon")));
        assertEquals("expected an integer of at least 1 for -Ddist.ticktime but was 'soon'", ticktime.getMessage());

        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.builder().build(properties("dist.sname", "a@h", "dist.port", "70000")));
        assertTrue(port.getMessage().startsWith("expected ports from 0 to 65535"), port.getMessage());

        IllegalArgumentException bind = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.builder().build(properties("dist.sname", "a@h", "dist.bindAddress", "no such host.")));
        assertEquals("expected an IP address or a host name for -Ddist.bindAddress but 'no such host.' does not"
                + " resolve", bind.getMessage());
    }

    @Test
    void fixedDiscoveryNeedsAFixedPort() {
        NodeConfig fixed = NodeConfig.builder()
                .build(properties("dist.sname", "a@h", "dist.discovery", "fixed", "dist.port", "4370"));
        assertInstanceOf(FixedPortDiscovery.class, fixed.discovery().orElseThrow());
        assertInstanceOf(EpmdDiscovery.class, NodeConfig.builder()
                .build(properties("dist.sname", "a@h", "dist.discovery", "epmd")).discovery().orElseThrow());

        IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.builder().build(properties("dist.sname", "a@h", "dist.discovery", "fixed")));
        assertEquals("-Ddist.discovery=fixed needs the port every node listens on: set -Ddist.port",
                noPort.getMessage());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.builder().build(properties("dist.sname", "a@h", "dist.discovery", "dns")));
        assertEquals("expected -Ddist.discovery to be epmd or fixed but was 'dns'", unknown.getMessage());
    }
}
