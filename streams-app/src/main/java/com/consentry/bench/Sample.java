package com.consentry.bench;

/** The records of the load an app had committed, {@code seconds} after its JVM was started. */
record Sample(String app, double seconds, long records) {
}
