package com.consentry.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** One real broker and registry for the whole test class, and a directory for the services' state. */
abstract class WithLocalCluster {
    static LocalCluster cluster;

    @TempDir
    static Path temp;

    @BeforeAll
    static void startCluster() {
        cluster = new LocalCluster();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
