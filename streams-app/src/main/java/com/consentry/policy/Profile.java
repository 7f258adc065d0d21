package com.consentry.policy;

import java.time.LocalDate;

/** A customer's profile as of some instant, folded from their UPSERTs. */
public record Profile(String country, LocalDate birthDate, String birthDateEventId, java.time.Instant birthDateAt,
                      String timezone,
                      String emailHash, String phoneHash) {

    public static final Profile EMPTY = new Profile(null, null, null, null, null, null, null);
}
