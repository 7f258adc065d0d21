package com.consentry.api;

import com.consentry.policy.Answer;
import com.consentry.policy.AnswerHistory;
import com.consentry.policy.Channel;
import com.consentry.topology.CustomerHoldings;
import com.consentry.topology.CustomerState;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The per-customer queries: {@code GET /v1/eligibility/{customerId}} (the published view),
 * {@code GET /v1/eligibility/{customerId}/{brand}/{channel}[?at=]} (one answer, as a {@code simulate}
 * {@code answer} line, through the same {@link EligibilityQuery} code path), its {@code /history[?from=&to=]},
 * and {@code GET /v1/customers/{customerId}/export} (the subject access export, {@link CustomerExport}).
 * Parameters are checked here before the request goes anywhere else; each is answered by the instance
 * that holds the customer. An answer from a standby copy says so: {@code "stale": true, "source": "standby"}.
 */
final class EligibilityEndpoints {
    static final String REQUESTER_HEADER = "X-Consentry-Requester";
    private static final Logger LOG = LoggerFactory.getLogger(EligibilityEndpoints.class);
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
        CustomerLookup.Outcome<CustomerState> o = lookup.find(customerId, request(ctx));
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
        CustomerLookup.Outcome<CustomerState> o = lookup.find(customerId, request(ctx));
        if (o.relayed() != null) {
            relay(ctx, o.relayed());
            return;
        }
        Answer a = t.query().answer(o.local().state(), lookup.suppressions(), brand, channel, at);
        ObjectNode body = EligibilityQuery.answerJson(at, customerId, brand, channel, a);
        HttpApi.json(ctx, 200, markStale(body, o.local().stale()));
    }

    void history(Context ctx) {
        String customerId = QueryParams.customerId(ctx.pathParam("customerId"));
        String brand = QueryParams.brand(ctx.pathParam("brand"));
        Channel channel = QueryParams.channel(ctx.pathParam("channel"));
        QueryParams.Window w = QueryParams.window(ctx.queryParam("from"), ctx.queryParam("to"),
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        Target t = target();
        CustomerLookup lookup = t.lookup();
        CustomerLookup.Outcome<CustomerState> o = lookup.find(customerId, request(ctx));
        if (o.relayed() != null) {
            relay(ctx, o.relayed());
            return;
        }
        AnswerHistory.Result r = t.query().history(o.local().state(), lookup.suppressions(), brand, channel,
                w.from(), w.to());
        HttpApi.json(ctx, 200, markStale(EligibilityQuery.historyJson(customerId, brand, channel, r),
                o.local().stale()));
    }

    /** The subject access export; logged once, by the instance the request came to (customerId and requester). */
    void export(Context ctx) {
        String customerId = QueryParams.customerId(ctx.pathParam("customerId"));
        boolean forwarded = ctx.header(Forwarder.FORWARDED_HEADER) != null;
        String requester = forwarded ? null : QueryParams.requester(ctx.header(REQUESTER_HEADER));
        String servedBy = "nobody";
        int status = 500;
        try {
            CustomerLookup lookup = target().lookup();
            CustomerLookup.Outcome<CustomerHoldings> o = lookup.find(customerId, request(ctx),
                    stores -> CustomerHoldings.read(customerId, stores));
            if (o.relayed() != null) {
                servedBy = "another instance";
                status = o.relayed().status();
                relay(ctx, o.relayed());
                return;
            }
            ObjectNode body = CustomerExport.json(customerId, o.local().state(), lookup.suppressions(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS));
            servedBy = o.local().stale() ? "here (standby)" : "here";
            status = 200;
            HttpApi.json(ctx, 200, markStale(body, o.local().stale()));
        } catch (ApiException e) {
            status = e.status();
            throw e;
        } finally {
            if (!forwarded) {
                LOG.info("subject access export customerId={} requester={} remote={} status={} servedBy=\"{}\"",
                        customerId, requester, ctx.ip(), status, servedBy);
            }
        }
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
