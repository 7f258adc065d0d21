package com.consentry.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * A customer UPSERT. {@code fields} names the fields the event carried (a carried null clears the
 * field; a field not carried keeps its value). Email and phone are kept as keyed hashes of their
 * normalised form, never in clear.
 */
public record ProfileUpdate(String eventId, Instant at, long seq, Set<String> fields, String country,
                            LocalDate birthDate, String timezone, String emailHash, String phoneHash,
                            Map<String, String> phoneHashByRegion)
        implements Fact {

    /** An update whose phone (if any) did not depend on a region still unknown. */
    public ProfileUpdate(String eventId, Instant at, long seq, Set<String> fields, String country, LocalDate birthDate,
                         String timezone, String emailHash, String phoneHash) {
        this(eventId, at, seq, fields, country, birthDate, timezone, emailHash, phoneHash, null);
    }

    public static final String COUNTRY = "country";
    public static final String BIRTH_DATE = "birthDate";
    public static final String TIMEZONE = "timezone";
    public static final String EMAIL = "email";
    public static final String PHONE = "phone";
}
