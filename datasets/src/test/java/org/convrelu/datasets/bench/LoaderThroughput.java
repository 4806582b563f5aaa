package org.convrelu.datasets.bench;

import java.util.Iterator;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.batch.BatchLoader;
import org.convrelu.datasets.batch.ImageExamples;
import org.convrelu.datasets.image.Augmentation;
import org.convrelu.datasets.image.ChannelStats;
import org.convrelu.datasets.image.Cifar;
import org.convrelu.tensor.Batch;
import org.convrelu.tensor.RandomStream;

/**
 * Images per second the batch loader delivers on CIFAR-10 train with the standard augmentation
 * (crop with 4-pixel padding, flip, normalisation), batch 128, consumed as fast as they come.
 *
 * <pre>mvn -q -pl datasets test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.convrelu.datasets.bench.LoaderThroughput</pre>
 */
public final class LoaderThroughput {
    public static void main(String[] args) {
        Cifar.Splits cifar = Cifar.cifar10(DataDir.resolve(), false);
        ChannelStats stats = ChannelStats.of(cifar.train());
        BatchLoader loader = new BatchLoader(new ImageExamples(cifar.train(), Augmentation.standard(stats)), 128,
                BatchLoader.Order.SHUFFLE, BatchLoader.Remainder.KEEP, RandomStream.root(1), 4);
        for (int epoch = 0; epoch < 3; epoch++) {
            long t0 = System.nanoTime();
            long images = 0;
            for (Iterator<Batch> it = loader.epoch(epoch); it.hasNext(); ) {
                images += it.next().size();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("epoch %d: %,d images in %.2f s = %,.0f images/s%n", epoch, images, s, images / s);
        }
    }
}
