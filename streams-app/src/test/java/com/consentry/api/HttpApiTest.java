package com.consentry.api;

import com.consentry.config.AppConfig;
import com.consentry.ops.ServiceMetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API before the streams exist: health, metrics, auth, validation and JSON errors. */
class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret";
    private final HttpClient client = HttpClient.newHttpClient();
    private ServiceMetrics metrics;
    private HttpApi api;

    @BeforeEach
    void start() {
        metrics = new ServiceMetrics();
        HttpSettings settings = HttpSettings.from(AppConfig.of(Map.of("consentry.http.port", "0",
                "consentry.http.bearer-token", TOKEN)));
        api = HttpApi.start(settings, metrics, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        api.close();
        metrics.close();
    }

    @Test
    void livenessIsOpenAndReadinessSaysWhyNot() throws Exception {
        HttpResponse<String> live = get("/health/live", null);
        assertThat(live.statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.path("state").asText()).isEqualTo("STARTING");
        assertThat(body.path("error").asText()).startsWith("not ready");
        // what its peers' readiness checks ask: a starting instance answers for no partition
        HttpResponse<String> partitions = get("/health/partitions", null);
        assertThat(partitions.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(partitions.body()).path("answerable").isArray()).isTrue();
        assertThat(JSON.readTree(partitions.body()).path("answerable").size()).isZero();
    }

    @Test
    void metricsAreOpenInPrometheusTextFormatWithTheTimeToHonourHistogram() throws Exception {
        metrics.product().decision("CAMPAIGN", "EMAIL", "CONSENT", "APPROVED");
        HttpResponse<String> r = get("/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body())
                .contains("# TYPE consentry_time_to_honour_seconds histogram")
                .contains("consentry_time_to_honour_seconds_bucket{le=\"0.1\"}")
                .contains("consentry_decisions_total{channel=\"EMAIL\",decision=\"APPROVED\",kind=\"CAMPAIGN\",reason=\"CONSENT\"} 1")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void theQueryApiNeedsTheBearerToken() throws Exception {
        HttpResponse<String> none = get("/v1/eligibility/c1", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(error(none)).isEqualTo("missing bearer token: send Authorization: Bearer <token>");
        assertThat(get("/v1/lag", "Bearer wrong").statusCode()).isEqualTo(401);
        // with the token, the request gets through to the (not yet started) service
        HttpResponse<String> ok = get("/v1/eligibility/c1", "Bearer " + TOKEN);
        assertThat(ok.statusCode()).isEqualTo(503);
        assertThat(ok.headers().firstValue("Retry-After")).contains("1");
        assertThat(error(ok)).isEqualTo("not ready: the service is starting");
    }

    @Test
    void badParametersAreRejectedBeforeAnythingElse() throws Exception {
        String auth = "Bearer " + TOKEN;
        HttpResponse<String> channel = get("/v1/eligibility/c1/MR%20PORTER/FAX", auth);
        assertThat(channel.statusCode()).isEqualTo(400);
        assertThat(error(channel)).startsWith("channel: unknown value 'FAX'");
        HttpResponse<String> brand = get("/v1/eligibility/c1/*/EMAIL", auth);
        assertThat(brand.statusCode()).isEqualTo(400);
        assertThat(error(brand)).isEqualTo("brand: '*' is not allowed here, a concrete brand is needed");
        HttpResponse<String> at = get("/v1/eligibility/c1/MR%20PORTER/EMAIL?at=tomorrow", auth);
        assertThat(at.statusCode()).isEqualTo(400);
        assertThat(error(at)).startsWith("at: 'tomorrow' is not an ISO-8601 instant");
    }

    @Test
    void theHistoryAndTheExportNeedTheTokenAndCheckTheirParametersFirst() throws Exception {
        String auth = "Bearer " + TOKEN;
        assertThat(get("/v1/customers/c1/export", null).statusCode()).isEqualTo(401);
        assertThat(get("/v1/eligibility/c1/MR%20PORTER/EMAIL/history", null).statusCode()).isEqualTo(401);
        HttpResponse<String> from = get("/v1/eligibility/c1/MR%20PORTER/EMAIL/history?from=yesterday", auth);
        assertThat(from.statusCode()).isEqualTo(400);
        assertThat(error(from)).startsWith("from: 'yesterday' is not an ISO-8601 instant");
        HttpResponse<String> reversed = get("/v1/eligibility/c1/MR%20PORTER/EMAIL/history"
                + "?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", auth);
        assertThat(reversed.statusCode()).isEqualTo(400);
        assertThat(error(reversed)).isEqualTo("from: 2026-03-02T00:00:00Z is after to 2026-03-01T00:00:00Z");
        HttpResponse<String> far = get("/v1/eligibility/c1/MR%20PORTER/EMAIL/history?to=%2B10000-01-01T00:00:00Z", auth);
        assertThat(far.statusCode()).isEqualTo(400);
        assertThat(error(far)).startsWith("to: ");
        assertThat(get("/v1/eligibility/c1/*/EMAIL/history", auth).statusCode()).isEqualTo(400);
        // a requester that could be an address is refused, so that the export log never holds one
        HttpResponse<String> requester = send("/v1/customers/c1/export", auth, "dpo@example.com");
        assertThat(requester.statusCode()).isEqualTo(400);
        assertThat(error(requester)).startsWith("X-Consentry-Requester: ");
        assertThat(send("/v1/customers/c1/export", auth, "ticket-4711").statusCode()).isEqualTo(503);
        assertThat(get("/v1/eligibility/c1/MR%20PORTER/EMAIL/history?from=2026-03-01T00:00:00Z", auth)
                .statusCode()).isEqualTo(503);
    }

    @Test
    void unknownPathsGetAJsonError() throws Exception {
        HttpResponse<String> r = get("/v2/nothing", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(error(r)).isEqualTo("no such endpoint: GET /v2/nothing");
    }

    private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        return send(path, authorization, null);
    }

    private HttpResponse<String> send(String path, String authorization, String requester)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (requester != null) {
            b.header(EligibilityEndpoints.REQUESTER_HEADER, requester);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).path("error").asText();
    }
}
