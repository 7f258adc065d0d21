package com.consentry.topology;

import com.consentry.ingest.Inbound;
import com.consentry.policy.Brands;
import com.consentry.policy.Channel;

/**
 * The rows of a customer's view an event can change: the others keep their last answer and evidence
 * (nothing they depend on changed), so only these are evaluated. A consent changes its brand's (or, for
 * {@code *}, every brand's) row of its channel; an order its brand's rows (soft opt-in); a cart only
 * adds the rows of a brand not seen before. A profile change, an unsubscribe, a suppression and
 * anything after an erasure can change every row, and so can time once a time-driven change is due.
 */
record RowScope(boolean all, String brand, Channel channel) {
    static final RowScope ALL = new RowScope(true, null, null);
    /** Only rows not evaluated before (a new brand). */
    static final RowScope NEW_ROWS = new RowScope(false, null, null);

    boolean covers(String rowBrand, Channel rowChannel) {
        return all || (brand != null && Brands.covers(brand, rowBrand) && (channel == null || channel == rowChannel));
    }

    /** The rows that recording {@code in} can change, for a customer with no erasure. */
    static RowScope of(Inbound in) {
        if (in instanceof Inbound.Consent c) {
            return new RowScope(false, c.brand(), c.channel());
        }
        if (in instanceof Inbound.Order o) {
            return new RowScope(false, o.brand(), null);
        }
        if (in instanceof Inbound.Cart) {
            return NEW_ROWS;
        }
        return ALL;
    }
}
