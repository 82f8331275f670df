package io.selfsup.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.selfsup.SelfsupException;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {

    @Test
    void autoPicksCpuWithoutGpus() {
        assertArrayEquals(new Device[] {Device.cpu()}, DeviceSelector.select(DeviceMode.AUTO, 0, 0));
    }

    @Test
    void autoPicksEveryVisibleGpu() {
        assertArrayEquals(new Device[] {Device.gpu(0), Device.gpu(1), Device.gpu(2)},
                DeviceSelector.select(DeviceMode.AUTO, 0, 3));
    }

    @Test
    void maxGpusCapsTheCount() {
        assertArrayEquals(new Device[] {Device.gpu(0), Device.gpu(1)}, DeviceSelector.select(DeviceMode.GPU, 2, 4));
        assertArrayEquals(new Device[] {Device.gpu(0)}, DeviceSelector.select(DeviceMode.AUTO, 1, 4));
        assertArrayEquals(new Device[] {Device.gpu(0), Device.gpu(1)}, DeviceSelector.select(DeviceMode.AUTO, 8, 2));
    }

    @Test
    void cpuWinsEvenWithGpus() {
        assertArrayEquals(new Device[] {Device.cpu()}, DeviceSelector.select(DeviceMode.CPU, 0, 2));
    }

    @Test
    void gpuWithoutGpuIsAClearError() {
        SelfsupException e = assertThrows(SelfsupException.class, () -> DeviceSelector.select(DeviceMode.GPU, 0, 0));
        assertTrue(e.getMessage().contains("--device cpu"), e.getMessage());
    }

    @Test
    void negativeMaxGpusIsRejected() {
        assertThrows(SelfsupException.class, () -> DeviceSelector.select(DeviceMode.AUTO, -1, 1));
    }

    @Test
    void singleDeviceCommandsTakeTheFirstGpuOrTheCpu() {
        org.junit.jupiter.api.Assertions.assertEquals(Device.gpu(0), DeviceSelector.single(DeviceMode.AUTO, 3));
        org.junit.jupiter.api.Assertions.assertEquals(Device.cpu(), DeviceSelector.single(DeviceMode.AUTO, 0));
        org.junit.jupiter.api.Assertions.assertEquals(Device.cpu(), DeviceSelector.single(DeviceMode.CPU, 3));
        assertThrows(SelfsupException.class, () -> DeviceSelector.single(DeviceMode.GPU, 0));
    }
}
