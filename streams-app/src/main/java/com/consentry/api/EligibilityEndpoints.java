package com.consentry.api;

import com.consentry.policy.Answer;
import com.consentry.policy.Channel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code GET /v1/eligibility/{customerId}} (the published view) and
 * {@code GET /v1/eligibility/{customerId}/{brand}/{channel}[?at=]} (one answer, as a {@code simulate}
 * {@code answer} line, through the same {@link EligibilityQuery} code path). Parameters are checked here
 * before the request goes anywhere else. An answer from a standby copy says so: {@code "stale": true,
 * "source": "standby"}.
 */
final class EligibilityEndpoints {
    private final Clock clock;
    private volatile Target target;

    /** Where answers come from, once the streams exist. */
    private record Target(CustomerLookup lookup, EligibilityQuery query) {
    }

    EligibilityEndpoints(Clock clock) {
        this.clock = clock;
    }

    void attach(CustomerLookup lookup, EligibilityQuery query) {
        this.target = new Target(lookup, query);
    }

    private Target target() {
        Target t = target;
        if (t == null) {
            throw ApiException.notReady("not ready: the service is starting");
        }
        return t;
    }

    void view(Context ctx) {
        String customerId = QueryParams.customerId(ctx.pathParam("customerId"));
        CustomerLookup lookup = target().lookup();
        CustomerLookup.Outcome o = lookup.find(customerId, request(ctx));
        if (o.relayed() != null) {
            relay(ctx, o.relayed());
            return;
        }
        ObjectNode body = EligibilityQuery.viewJson(customerId, o.local().state());
        HttpApi.json(ctx, 200, markStale(body, o.local().stale()));
    }

    void answer(Context ctx) {
        String customerId = QueryParams.customerId(ctx.pathParam("customerId"));
        String brand = QueryParams.brand(ctx.pathParam("brand"));
        Channel channel = QueryParams.channel(ctx.pathParam("channel"));
        Instant at = QueryParams.at(ctx.queryParam("at"), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        Target t = target();
        CustomerLookup lookup = t.lookup();
        CustomerLookup.Outcome o = lookup.find(customerId, request(ctx));
        if (o.relayed() != null) {
            relay(ctx, o.relayed());
            return;
        }
        Answer a = t.query().answer(o.local().state(), lookup.suppressions(), brand, channel, at);
        ObjectNode body = EligibilityQuery.answerJson(at, customerId, brand, channel, a);
        HttpApi.json(ctx, 200, markStale(body, o.local().stale()));
    }

    private static ObjectNode markStale(ObjectNode body, boolean stale) {
        if (stale) {
            body.put("stale", true);
            body.put("source", "standby");
        }
        return body;
    }

    private static CustomerLookup.Request request(Context ctx) {
        String query = ctx.queryString();
        return new CustomerLookup.Request(ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query),
                ctx.header("Authorization"), ctx.header(Forwarder.FORWARDED_HEADER) != null,
                "standby".equals(ctx.header(Forwarder.SERVE_HEADER)));
    }

    private static void relay(Context ctx, Forwarder.Relayed r) {
        ctx.status(r.status()).contentType(r.contentType()).result(r.body());
    }
}
