package com.consentry.cli;

import com.consentry.api.HttpSettings;
import com.consentry.config.AppConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code export --customer ID [--config FILE] [--requester NAME]}: the subject access export of one
 * customer, fetched from the HTTP API of a running instance (any instance: it forwards to the owner).
 */
final class ExportCommand implements Main.Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;
    private final PrintStream err;

    ExportCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String summary() {
        return "print everything held about a customer (subject access export) from a running instance";
    }

    @Override
    public String usage() {
        return """
                usage: export --customer ID [--config FILE] [--requester NAME]

                Prints the subject access export of customer ID (one JSON document, the format in the
                README) as GET /v1/customers/ID/export of a running instance answers it. The instance is the
                one FILE configures: http://<consentry.http.advertised-host, else consentry.http.host>:
                <consentry.http.port> (https when consentry.http.tls.keystore.location is set, trusting
                consentry.http.tls.truststore.*), with consentry.http.bearer-token when set. Without --config: the
                local defaults, http://127.0.0.1:8080 (where `dev` and `run` listen). Any instance will do:
                it forwards the request to the one that holds the customer. NAME is who asks (logged by the
                service with the customerId; letters, digits and . _ : -; default: the user name).
                Exit status: 0 with the document on standard output; 1 when the service refuses or
                cannot be reached (the error on standard error); 2 for a usage error.""";
    }

    @Override
    public int run(Args args) throws Exception {
        String customerId = args.required("customer");
        String file = args.option("config");
        String requester = args.option("requester");
        args.rejectUnknown();
        if (customerId.isBlank()) {
            throw new Args.UsageException("--customer must not be empty");
        }
        AppConfig config = AppConfig.load(file == null ? null : Path.of(file), System.getenv());
        HttpSettings http = HttpSettings.from(config);
        String host = http.advertisedHost().contains(":") ? "[" + http.advertisedHost() + "]" : http.advertisedHost();
        URI uri = URI.create(http.scheme() + "://" + host + ":" + http.port() + "/v1/customers/"
                + URLEncoder.encode(customerId, StandardCharsets.UTF_8).replace("+", "%20") + "/export");
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET()
                .header("X-Consentry-Requester", requester != null ? requester : defaultRequester());
        if (http.bearerToken() != null) {
            req.header("Authorization", "Bearer " + http.bearerToken());
        }
        HttpResponse<String> r;
        try {
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            if (http.clientTls() != null) {
                client.sslContext(http.clientTls());
            }
            r = client.build()
                    .send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("export: cannot reach " + uri.getHost() + ":" + uri.getPort() + ": " + e);
            return 1;
        }
        if (r.statusCode() != 200) {
            err.println("export: " + uri + " answered " + r.statusCode() + ": " + errorOf(r.body()));
            return 1;
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(r.body())));
        return 0;
    }

    private static String errorOf(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n.path("error").asText(body);
        } catch (IOException e) {
            return body;
        }
    }

    /** The user name, when it fits what the service accepts as a requester; else none. */
    private static String defaultRequester() {
        String user = System.getProperty("user.name", "");
        return user.matches("[A-Za-z][A-Za-z0-9._:-]{0,63}") ? "cli:" + user : "cli";
    }
}
