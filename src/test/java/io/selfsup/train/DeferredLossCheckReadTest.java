package io.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.SelfsupException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The deferred loss check alone: what it does with a running loss read on the host. */
class DeferredLossCheckReadTest {

    @Test
    void theDeferredCheckRefusesANonFiniteRunningLossNamingWhereAndHowToResume() {
        LossCheck check = new DeferredLossCheck(3, Path.of("runs", "r1"));
        assertEquals(12.5f, check.read(12.5f, 640));
        SelfsupException e = assertThrows(SelfsupException.class, () -> check.read(Float.NaN, 640));
        assertTrue(e.getMessage().contains("in epoch 3 before image 640") && e.getMessage().contains("lower --lr")
                && e.getMessage().contains("--resume " + Path.of("runs", "r1")), e.getMessage());
    }
}
