package dev.ticker.it;

import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** Base of the ITs that talk to one deployment of the WAR from outside, as its users do. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class DeployedTicker {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TickerDeployment.war();
    }

    /** {@code http://host:port/ticker/} of the deployment. */
    @ArquillianResource
    URL base;

    URI stream() {
        return TickerDeployment.streamUri(base);
    }

    QuoteClient connect() throws Exception {
        return QuoteClient.connect(stream());
    }

    /** The value of the sample {@code name} (e.g. {@code ticker_sessions}) in {@code /metrics}, or -1 if absent. */
    double metric(String name) throws Exception {
        String body = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
                java.net.http.HttpRequest.newBuilder(URI.create(base.toExternalForm() + "metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(name) + " (\\S+)$")
                .matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** How many connections the server has closed with {@code code}, by its {@code /health}. */
    long closedByServer(int code) throws Exception {
        String body = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(base.toExternalForm() + "health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(body))) {
            jakarta.json.JsonObject closed = reader.readObject().getJsonObject("closedByServer");
            return closed.containsKey(String.valueOf(code)) ? closed.getJsonNumber(String.valueOf(code)).longValue() : 0;
        }
    }
}
