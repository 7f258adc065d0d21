package com.consentry.topology;

import java.time.Instant;

/**
 * A record of the address-index topic, keyed by address hash: a customer now has (LINK) or no longer
 * has (UNLINK) this address, or the address was suppressed (SUPPRESSED) and every linked customer must
 * re-evaluate their view.
 */
public record AddressNotice(Op op, String customerId, Instant at) {
    public enum Op { LINK, UNLINK, SUPPRESSED }
}
