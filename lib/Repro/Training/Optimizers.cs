using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>Builds the optimizer a config names and sets its learning rate per epoch.</summary>
public static class Optimizers
{
    public static optim.Optimizer Create(TrainConfig cfg, IEnumerable<Parameter> parameters) => cfg.Optimizer switch
    {
        // PyTorch SGD: g' = g + wd*w; buf = mu*buf + g' (buf = g' on the first step); w -= lr*buf.
        "sgd" => new Optim.SGD(parameters, cfg.Lr.At(0), momentum: cfg.Momentum, weightDecay: cfg.WeightDecay),
        "adam" => new Optim.Adam(parameters, cfg.Lr.At(0), weightDecay: cfg.WeightDecay),
        "adamw" => new Optim.AdamW(parameters, cfg.Lr.At(0), weightDecay: cfg.WeightDecay),
        _ => throw new ArgumentException($"Unknown optimizer '{cfg.Optimizer}'; known: sgd, adam, adamw."),
    };

    public static void SetLearningRate(optim.Optimizer optimizer, double lr)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
    }
}
