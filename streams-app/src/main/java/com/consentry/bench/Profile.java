package com.consentry.bench;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Random;

/**
 * A fake customer of the {@link EventMix}: identity, country, addresses and birth date. The addresses
 * look real but are reserved for examples: emails at {@code example.com}, phone numbers in the ranges
 * regulators keep for drama and documentation where there is one ({@code +44 7700 900xxx} style).
 */
record Profile(int index, String customerId, String email, String country, String timezone, String phone,
               String internationalPhone, LocalDate birthDate, int primaryBrand, long arrival, int visits) {
    static final String[] BRANDS = {"NET-A-PORTER", "MR PORTER", "THE OUTNET"};
    private static final String[] FIRST = {"anna", "ben", "chloe", "david", "emma", "felix", "grace", "hugo", "isla",
            "jonas", "lea", "marc", "nina", "oscar", "paula", "quinn", "rosa", "sam", "tom", "uma", "victor", "zoe"};
    private static final String[] LAST = {"smith", "muller", "martin", "jones", "schmidt", "bernard", "brown", "weber",
            "dubois", "taylor", "fischer", "moreau", "wilson", "becker", "garcia", "rossi", "jansen", "kim"};

    /**
     * country, share (per mille), time zones, international and national prefix of a fake mobile range,
     * and how many random digits complete a number of the right length.
     */
    private record Country(String code, int perMille, String[] zones, String international, String national, int digits) {
    }

    private static final Country[] COUNTRIES = {
            new Country("GB", 300, new String[] {"Europe/London"}, "+44 7700 9", "07700 9", 5),
            new Country("DE", 200, new String[] {"Europe/Berlin"}, "+49 1512 34", "01512 34", 5),
            new Country("US", 220, new String[] {"America/New_York", "America/Chicago", "America/Los_Angeles"},
                    "+1 202 555 01", "(202) 555-01", 2),
            new Country("FR", 100, new String[] {"Europe/Paris"}, "+33 6 39 98 ", "06 39 98 ", 4),
            new Country("IT", 50, new String[] {"Europe/Rome"}, "+39 312 345 ", "312 345 ", 4),
            new Country("ES", 40, new String[] {"Europe/Madrid"}, "+34 612 34", "612 34", 4),
            new Country("NL", 30, new String[] {"Europe/Amsterdam"}, "+31 6 1234 ", "06 1234 ", 4),
            new Country("CH", 20, new String[] {"Europe/Zurich"}, "+41 79 123 ", "079 123 ", 4),
            new Country("AU", 20, new String[] {"Australia/Sydney"}, "+61 491 57", "0491 57", 4),
            new Country("JP", 10, new String[] {"Asia/Tokyo"}, "+81 90 1234 ", "090 1234 ", 4),
            new Country(null, 10, new String[] {"UTC"}, "+44 7700 9", "07700 9", 5)};

    /** Customer {@code index}: arrival in the first 85% of the span, activity drawn from a heavy tail. */
    static Profile create(int index, Random r, long start, long spanSeconds) {
        String id = String.format("cust-%07d", index);
        Country c = pick(r.nextInt(1000));
        String local = FIRST[r.nextInt(FIRST.length)] + "." + LAST[r.nextInt(LAST.length)] + index;
        // one in fifty typed carelessly: the service normalises addresses before hashing them
        String email = r.nextInt(50) == 0
                ? " " + Character.toUpperCase(local.charAt(0)) + local.substring(1) + "@Example.COM"
                : local + "@example.com";
        String timezone = r.nextInt(10) < 3 ? c.zones()[r.nextInt(c.zones().length)] : null;
        String digits = String.format("%05d", r.nextInt(100_000)).substring(5 - c.digits());
        boolean hasPhone = r.nextInt(10) < 7;
        String international = hasPhone ? c.international() + digits : null;
        // a fifth of the numbers are given in national form, read with the customer's country
        String phone = hasPhone && c.code() != null && r.nextInt(5) == 0 ? c.national() + digits : international;
        long arrival = start + (long) (r.nextDouble() * 0.85 * spanSeconds);
        return new Profile(index, id, email, c.code(), timezone, phone, international, birthDate(r, arrival, spanSeconds),
                weightedBrand(r), arrival, visits(r));
    }

    private static Country pick(int perMille) {
        int acc = 0;
        for (Country c : COUNTRIES) {
            acc += c.perMille();
            if (perMille < acc) {
                return c;
            }
        }
        return COUNTRIES[0];
    }

    /**
     * 3% minors (half of them turn 16 during the span, so that the sweep must publish it), 10% without a
     * birth date, the rest adults of 18 to 75.
     */
    private static LocalDate birthDate(Random r, long arrival, long spanSeconds) {
        LocalDate at = LocalDate.ofEpochDay(Math.floorDiv(arrival, 86_400));
        int dice = r.nextInt(100);
        if (dice < 3) {
            if (r.nextBoolean()) {
                long turns16 = arrival + 86_400 + (long) (r.nextDouble() * spanSeconds);
                return java.time.Instant.ofEpochSecond(turns16).atZone(ZoneOffset.UTC).toLocalDate().minusYears(16);
            }
            return at.minusYears(13).minusDays(r.nextInt(2 * 365));
        }
        if (dice < 13) {
            return null;
        }
        return at.minusYears(18).minusDays(r.nextInt(57 * 365));
    }

    /** The customer's favourite brand: NET-A-PORTER half the time, MR PORTER and THE OUTNET a quarter each. */
    static int weightedBrand(Random r) {
        int d = r.nextInt(4);
        return d < 2 ? 0 : d - 1;
    }

    /**
     * Visits (cart sessions, orders, preference changes...) after the first: Pareto-distributed with a
     * tail index of 1.2, capped at 150, so that most customers come back once or twice and a few dozen
     * in ten thousand have a hundred visits.
     */
    private static int visits(Random r) {
        double pareto = 0.62 / StrictMath.pow(1 - r.nextDouble(), 1 / 1.2);
        return (int) Math.min(150, pareto);
    }

    String brand() {
        return BRANDS[primaryBrand];
    }

    boolean german() {
        return "DE".equals(country);
    }
}
