package com.consentry.topology;

/** State store names: fixed, because changelog topics are named after them. */
public final class StoreNames {
    /** customerId -> {@link CustomerState}. */
    public static final String CUSTOMERS = "customers";
    /** customerId NUL cartId -> {@link CartState}. */
    public static final String CARTS = "carts";
    /** zero-padded due millis NUL customerId NUL cartId -> cartId: the reminder timers, in due order. */
    public static final String REMINDER_DUE = "reminder-due";
    /**
     * zero-padded millis NUL customerId -> "": when the customer's answers may next change by time
     * alone (expiry, turning of age, soft opt-in lapsing), in due order for the sweep.
     */
    public static final String SWEEP_DUE = "sweep-due";
    /**
     * zero-padded millis NUL kind NUL id -> "": when a retention limit may next remove something, in due order
     * for the purge ({@link RetentionPurge}): kind {@code C} a customer's facts and carts (id: customerId),
     * {@code S} a remembered send decision (id: customerId NUL requestId).
     */
    public static final String RETENTION_DUE = "retention-due";
    /** customerId NUL requestId -> the first decision of that request. */
    public static final String SEND_REQUESTS = "send-requests-seen";
    /** address hash -> customers whose current email or phone it is. */
    public static final String ADDRESS_LINKS = "address-links";
    /**
     * address hash -> epoch millis of the newest suppression of that address the address index has seen:
     * a customer linked to the address after its suppression was processed still gets its recheck.
     */
    public static final String ADDRESS_SUPPRESSED = "address-suppressed";
    /** address hash NUL ... -> suppression entry (global: every instance holds all of it). */
    public static final String SUPPRESSIONS = "suppressions";
    /**
     * Suppressions this task created (same keys as {@link #SUPPRESSIONS}): read together with the global
     * store, so that the records after them in the same task see them before the global store does.
     */
    public static final String LOCAL_SUPPRESSIONS = "local-suppressions";
    /**
     * 20-digit sequence number -> a decision, eligibility view or tombstone computed but not yet published,
     * until the suppression list has caught up with the address-only unsubscribes acknowledged before it.
     */
    public static final String HELD_OUTPUTS = "held-outputs";
    /** a few keys per task: the last sweep, the reminder timers' low-water mark, index markers. */
    public static final String SCHEDULE = "schedule";

    private StoreNames() {
    }
}
