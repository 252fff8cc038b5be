using static TorchSharp.torch;

namespace Repro.Evaluation;

/// <summary>Classification metrics on accumulated predictions.</summary>
public static class Metrics
{
    /// <summary>Overall (micro) accuracy in percent, as the papers report it.</summary>
    public static double Accuracy(long[] predicted, long[] labels)
    {
        if (predicted.Length != labels.Length) throw new ArgumentException("Predictions and labels differ in length.");
        if (labels.Length == 0) throw new ArgumentException("Accuracy of an empty set is undefined.");
        long correct = 0;
        for (int i = 0; i < labels.Length; i++) if (predicted[i] == labels[i]) correct++;
        return 100.0 * correct / labels.Length;
    }

    public static long[] Argmax(Tensor logits) => logits.argmax(1).data<long>().ToArray();
}
