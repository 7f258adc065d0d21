package com.consentry.policy;

import java.time.Instant;

/** An approved marketing message (campaign send or cart reminder): what the frequency cap counts. */
public record SentMessage(String requestId, Instant at, Channel channel) {
}
