package com.consentry.policy;

/** Brand matching: {@code *} in a consent or unsubscribe means every brand. */
public final class Brands {
    public static final String ALL = "*";

    private Brands() {
    }

    public static boolean covers(String factBrand, String concreteBrand) {
        return ALL.equals(factBrand) || factBrand.equals(concreteBrand);
    }
}
