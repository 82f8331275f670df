package io.selfsup.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import io.selfsup.data.BatchLoader;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ImageStore;
import io.selfsup.method.PretextMethod;
import io.selfsup.report.LossChart;
import io.selfsup.run.RunDirectory;
import java.awt.image.BufferedImage;

/**
 * Writes the pictures of a finished run: what the trained network does with the first images
 * (reconstructions.png, for a method that has such a picture) and the loss curve of every epoch (loss.svg).
 */
final class ResultPicturesListener implements TrainingListener {

    private final RunDirectory run;
    private final PretextMethod method;
    private final Trainer trainer;
    private final ImageStore images;
    private final Device device;
    private final int epochs;

    /** @param images those the result picture shows the first of: the test split's, or else the training split's */
    ResultPicturesListener(RunDirectory run, PretextMethod method, Trainer trainer, ImageStore images, Device device,
                           int epochs) {
        this.run = run;
        this.method = method;
        this.trainer = trainer;
        this.images = images;
        this.device = device;
        this.epochs = epochs;
    }

    @Override
    public void onTrainingEnd() {
        BufferedImage picture = resultPicture();
        if (picture != null) {
            run.writePicture("reconstructions.png", picture);
        }
        if (epochs > 0) {
            run.writeText("loss.svg", LossChart.render(run.readMetrics(epochs)));
        }
    }

    private BufferedImage resultPicture() {
        int n = Math.min(8, images.size());
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray x = new BatchLoader(images, n).load(batch, EpochOrder.sequential(n), 0, n, device);
            return method.resultPicture(x, trainer::evaluate);
        }
    }
}
