using Repro.Models.Lora;
using Repro.Models.Transformers;
using Repro.Tests.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Models.Lora;

/// <summary>The generic LoRA wrapper on the three encoders.</summary>
public class LoraAdapterTests
{
    static IEnumerable<(nn.Module<Tensor, Tensor> Model, Tensor Input)> Encoders()
    {
        var clip = new ClipVisionTransformer(ClipVisionConfig.Tiny(8, 4, hidden: 8, layers: 2, heads: 2));
        yield return (clip, randn(2, 3, 8, 8, generator: new Generator(1)));
        var bert = new BertModel(BertConfig.Tiny(30, 16, hidden: 8, layers: 2, heads: 2));
        yield return (bert, tensor(new long[,] { { 2, 5, 7, 3, 0 }, { 2, 9, 3, 0, 0 } }));
        var ast = new AstModel(AstConfig.Tiny(16, 8, 4, 4, hidden: 8, layers: 2, heads: 2));
        yield return (ast, randn(2, 16, 8, generator: new Generator(2)));
    }

    [Fact]
    public void WithBZeroTheAdaptedEncoderEqualsTheFrozenOne()
    {
        using var scope = NewDisposeScope();
        foreach (var (model, input) in Encoders())
        {
            MethodTestKit.Reinitialise(model, 7);
            model.eval();
            Tensor before;
            using (no_grad()) before = model.call(input).clone();
            var adapted = LoraAdapter.Apply(model, ((ITokenEncoder)model).AttentionProjections, LoraConfig.U2a);
            Assert.Equal(4 * 2, adapted.Count);
            using (no_grad()) Assert.True(model.call(input).equal(before).all().item<bool>(), $"{model.GetType().Name}: B = 0 changed the output");

            model.train();   // LoRA dropout on: still the frozen output while B = 0 (eval-mode dropout elsewhere is the model's own)
            foreach (var layer in LoraAdapter.Layers(model))
                Assert.True(layer.B.weight!.eq(0).all().item<bool>());
        }
    }

    [Fact]
    public void AdaptersUsePeftNamesAndOnlyTheyTrain()
    {
        using var scope = NewDisposeScope();
        var clip = new ClipVisionTransformer(ClipVisionConfig.Tiny(8, 4, hidden: 8, layers: 2, heads: 2));
        LoraAdapter.Apply(clip, clip.AttentionProjections, LoraConfig.U2a);
        var named = clip.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal([1L, 8], named["encoder.layers.1.self_attn.v_proj.lora_A.weight"].shape);
        Assert.Equal([8L, 1], named["encoder.layers.1.self_attn.v_proj.lora_B.weight"].shape);
        Assert.Contains("encoder.layers.1.self_attn.v_proj.base_layer.weight", named.Keys);
        Assert.DoesNotContain(named.Keys, n => n.Contains("mlp.fc1.lora"));
        var trainable = named.Where(kv => kv.Value.requires_grad).Select(kv => kv.Key).ToList();
        Assert.Equal(2 * 4 * 2, trainable.Count);
        Assert.All(trainable, n => Assert.Contains(".lora_", n));

        var loss = clip.call(randn(2, 3, 8, 8)).pow(2).sum();
        loss.backward();
        foreach (var (name, p) in named)
        {
            using var g = p.grad;
            if (name.Contains(".lora_B.")) Assert.True(g is not null && g.abs().sum().item<float>() > 0, $"{name} got no gradient");
            if (!p.requires_grad) Assert.True(g is null, $"frozen {name} received a gradient");
        }
    }

    [Fact]
    public void AParentThatHidesItsLinearInAnotherFieldIsRefused()
    {
        var seq = nn.Sequential(("query", nn.Linear(2, 2)));
        var e = Assert.Throws<InvalidOperationException>(() => LoraAdapter.Apply(seq, ["query"], LoraConfig.U2a));
        Assert.Contains("'query'", e.Message);
        Assert.Throws<ArgumentException>(() => LoraAdapter.Apply(nn.Linear(2, 2), ["query"], LoraConfig.U2a));
    }
}
