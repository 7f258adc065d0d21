package com.consentry.bench;

import java.util.List;

/**
 * Records/s of one app over the load, from its committed-offset samples: steady (between 10% and 90%
 * of the load), in the first 10% (from 1%, so that the start-up before the first commit is left out)
 * and in the last 10%. The instants a share of the load was reached are interpolated between samples.
 */
record Throughput(double steady, double first, double last, double seconds) {

    static Throughput of(List<Sample> samples, long total) {
        if (total <= 0 || samples.isEmpty() || samples.get(samples.size() - 1).records() < total) {
            throw new IllegalArgumentException("the samples do not reach the whole load of " + total + " records");
        }
        double t01 = reached(samples, total * 0.01);
        double t10 = reached(samples, total * 0.10);
        double t90 = reached(samples, total * 0.90);
        double t100 = reached(samples, total);
        return new Throughput(0.8 * total / (t90 - t10), 0.09 * total / (t10 - t01), 0.1 * total / (t100 - t90), t100);
    }

    /** When the committed records first reached {@code records}, linearly between the samples around it. */
    static double reached(List<Sample> samples, double records) {
        Sample before = samples.get(0);
        for (Sample s : samples) {
            if (s.records() >= records) {
                if (s.records() == before.records()) {
                    return s.seconds();
                }
                return before.seconds() + (records - before.records()) / (s.records() - before.records())
                        * (s.seconds() - before.seconds());
            }
            before = s;
        }
        throw new IllegalArgumentException("the samples never reach " + records + " records");
    }

    /** The last 10% against the first: below 1 when the app slows down as it goes. */
    double lastOverFirst() {
        return last / first;
    }
}
