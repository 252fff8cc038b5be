using Repro.Methods;
using static Repro.Tests.Methods.MethodTestKit;
using static TorchSharp.torch;
using Repro.Methods.U2a;

namespace Repro.Tests.Methods.EndToEnd;

/// <summary>
/// One U2A training step with modality dropout (rate 0.5) against a hand computation: the draw (U2A §3.3; the kit's
/// ModalityDropout: u ~ U(0,1) and a modality index per sample, drawn first in the step from torch's generator) is
/// replayed from the same seed, so the count of dropped modalities is known exactly; eq. 6 is computed here on the
/// outputs of the batch after dropout, and eq. 7 = task + 0.2 * align.
/// </summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class U2aStepTests
{
    const string I = Repro.Data.Modalities.Image, T = Repro.Data.Modalities.Text;

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public void DropoutCountAndAlignmentLossOfOneStepAreTheHandComputedOnes(long seed)
    {
        using var scope = NewDisposeScope();
        var u2a = (U2a)Create("u2a", U2aTests.Parts(), 11, ("hidden", 8), ("layers", 1), ("heads", 2), ("image_patch", 4), ("vocab", 30), ("modality_dropout", 0.5));
        u2a.Model.eval();   // no dropout layers: the outputs below are the step's
        bool[] image = [true, true, false, true, true, true, true, true], text = [true, true, true, true, false, true, true, true];
        var batch = U2aTests.RandomBatch(image, text, 8);

        manual_seed(seed);
        var u = rand(8);
        var which = randint(0, 2, [8], dtype: ScalarType.Int64);
        var keepImage = image.ToArray();
        var keepText = text.ToArray();
        int dropped = 0;
        for (int i = 0; i < 8; i++)
        {
            if (!(image[i] && text[i]) || u[i].item<float>() >= 0.5) continue;
            dropped++;
            if (which[i].item<long>() == 0) keepImage[i] = false; else keepText[i] = false;
        }
        var after = U2aTests.RandomBatch(keepImage, keepText, 8);
        var zeroed = ModalityDropout.Apply(after, after.Available);
        Tensor align;
        using (no_grad())
        {
            var o = u2a.Outputs(zeroed);
            var rows = tensor(Enumerable.Range(0, 8).Where(i => keepImage[i] && keepText[i]).Select(i => (long)i).ToArray());
            Tensor Mse(Tensor a, Tensor b) => (a - b).pow(2).mean();
            var oi = o[I].index_select(0, rows);
            var ot = o[T].index_select(0, rows);
            align = Mse(oi.select(1, 1), ot.select(1, 0)) + Mse(ot.select(1, 1), oi.select(1, 0));   // U2A eq. 6
        }

        manual_seed(seed);
        var step = u2a.TrainStep(batch, FrozenContext(u2a));
        Assert.Equal(dropped / 8.0, step.Losses["dropped"], 12);
        Assert.Equal(align.item<float>(), step.Losses["loss_align"], 5);
        Assert.Equal(step.Losses["loss_task"] + 0.2 * step.Losses["loss_align"], step.Losses["loss"], 5);   // U2A eq. 7
    }
}
