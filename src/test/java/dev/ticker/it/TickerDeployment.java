package dev.ticker.it;

import dev.ticker.stream.websocket.QuoteEndpoint;
import java.io.File;
import java.net.URI;
import java.net.URL;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR under test and the addresses in it. */
final class TickerDeployment {

    private TickerDeployment() {
    }

    /**
     * The WAR the build produced ({@code target/ticker.war}, named by Failsafe), not a ShrinkWrap
     * rebuild: the ITs test the very file users deploy.
     */
    static WebArchive war() {
        String path = System.getProperty("ticker.war", "target/ticker.war");
        File file = new File(path);
        if (!file.isFile()) {
            throw new IllegalStateException(path + " does not exist; run the ITs through 'mvn verify'");
        }
        return ShrinkWrap.createFromZipFile(WebArchive.class, file);
    }

    /**
     * The WAR as {@code name}.war (its own context root, /{@code name}: Arquillian refuses two
     * deployments of one name to one container, so the descriptors that pin /ticker are left out) with the context-param {@code key} in web.xml changed from
     * {@code from} to {@code to}. Fails if web.xml no longer declares {@code key} as {@code from}.
     */
    static WebArchive withContextParam(String name, String key, String from, String to) {
        return withContextParams(name, key, from, to);
    }

    /** As {@link #withContextParam}, for several context-params: key, from, to, key, from, to, ... */
    static WebArchive withContextParams(String name, String... keyFromTo) {
        WebArchive war = war();
        String webXml;
        try (java.io.InputStream in = war.get("WEB-INF/web.xml").getAsset().openStream()) {
            webXml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        String changed = webXml;
        for (int i = 0; i + 2 < keyFromTo.length; i += 3) {
            String key = keyFromTo[i];
            String param = "<param-name>" + key + "</param-name><param-value>";
            String next = changed.replace(param + keyFromTo[i + 1] + "</param-value>", param + keyFromTo[i + 2] + "</param-value>");
            if (next.equals(changed)) {
                throw new IllegalStateException("web.xml no longer declares " + key + "='" + keyFromTo[i + 1] + "'");
            }
            changed = next;
        }
        WebArchive copy = ShrinkWrap.create(WebArchive.class, name + ".war").merge(war);
        copy.delete("WEB-INF/web.xml");
        copy.delete("WEB-INF/jboss-web.xml");
        copy.delete("WEB-INF/glassfish-web.xml");
        return copy.addAsWebInfResource(new org.jboss.shrinkwrap.api.asset.StringAsset(changed), "web.xml");
    }

    /** The quote stream of the deployment at {@code base} ({@code http://host:port/ticker/}). */
    static URI streamUri(URL base) {
        String path = QuoteEndpoint.PATH;
        String http = base.toExternalForm().replaceFirst("/$", "");
        return URI.create(http.replaceFirst("^http", "ws") + path);
    }
}
