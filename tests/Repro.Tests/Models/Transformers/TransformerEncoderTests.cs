using Repro.Models.Transformers;
using Repro.Tests.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Models.Transformers;

/// <summary>The encoders carry the published names and shapes, and keep each model's conventions.</summary>
public class TransformerEncoderTests
{
    static readonly Device Meta = new("meta");

    static Dictionary<string, long[]> Shapes(nn.Module m) => m.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
    static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    [Fact]
    public void ClipVitB16HasThePublishedNamesShapesAndSize()
    {
        using var m = new ClipVisionTransformer(ClipVisionConfig.VitB16, Meta);
        var s = Shapes(m);
        Assert.Equal([768L], s["embeddings.class_embedding"]);
        Assert.Equal([768L, 3, 16, 16], s["embeddings.patch_embedding.weight"]);
        Assert.DoesNotContain("embeddings.patch_embedding.bias", s.Keys);
        Assert.Equal([197L, 768], s["embeddings.position_embedding.weight"]);
        Assert.Equal([768L], s["pre_layrnorm.weight"]);
        Assert.Equal([768L, 768], s["encoder.layers.11.self_attn.out_proj.weight"]);
        Assert.Equal([3072L, 768], s["encoder.layers.0.mlp.fc1.weight"]);
        Assert.Contains("encoder.layers.0.layer_norm2.bias", s.Keys);
        Assert.Contains("post_layernorm.bias", s.Keys);
        Assert.Equal(16 * 12 + 7, s.Count);
        Assert.Equal(85_799_424, Count(m));   // HF CLIPVisionModel (openai/clip-vit-base-patch16)
    }

    [Fact]
    public void BertBaseHasThePublishedNamesShapesAndSize()
    {
        using var m = new BertModel(BertConfig.BaseUncased, Meta);
        var s = Shapes(m);
        Assert.Equal([30522L, 768], s["embeddings.word_embeddings.weight"]);
        Assert.Equal([512L, 768], s["embeddings.position_embeddings.weight"]);
        Assert.Equal([2L, 768], s["embeddings.token_type_embeddings.weight"]);
        Assert.Contains("embeddings.LayerNorm.weight", s.Keys);
        Assert.Equal([768L, 768], s["encoder.layer.3.attention.self.query.weight"]);
        Assert.Equal([768L, 768], s["encoder.layer.3.attention.output.dense.weight"]);
        Assert.Contains("encoder.layer.3.attention.output.LayerNorm.bias", s.Keys);
        Assert.Equal([3072L, 768], s["encoder.layer.3.intermediate.dense.weight"]);
        Assert.Equal([768L, 3072], s["encoder.layer.3.output.dense.weight"]);
        Assert.Contains("encoder.layer.11.output.LayerNorm.weight", s.Keys);
        Assert.Equal([768L, 768], s["pooler.dense.weight"]);
        Assert.Equal(109_482_240, Count(m));  // bert-base-uncased's BertModel
    }

    [Fact]
    public void AudioSetAstHasThePublishedNamesShapesAndSize()
    {
        using var m = new AstModel(AstConfig.AudioSet, Meta);
        var s = Shapes(m);
        Assert.Equal(1212, AstConfig.AudioSet.Patches);          // 12 frequency x 101 time patches at stride 10
        Assert.Equal([1L, 1, 768], s["embeddings.cls_token"]);
        Assert.Equal([1L, 1, 768], s["embeddings.distillation_token"]);
        Assert.Equal([1L, 1214, 768], s["embeddings.position_embeddings"]);
        Assert.Equal([768L, 1, 16, 16], s["embeddings.patch_embeddings.projection.weight"]);
        Assert.Equal([768L, 768], s["encoder.layer.0.attention.attention.key.weight"]);
        Assert.Equal([768L, 768], s["encoder.layer.0.attention.output.dense.weight"]);
        Assert.Contains("encoder.layer.0.layernorm_before.weight", s.Keys);
        Assert.Contains("encoder.layer.11.layernorm_after.bias", s.Keys);
        Assert.Contains("layernorm.weight", s.Keys);
        Assert.Equal(86_187_264, Count(m));
    }

    [Fact]
    public void BertPaddingIsMaskedOutOfAttention()
    {
        using var scope = NewDisposeScope();
        var m = new BertModel(BertConfig.Tiny(40, 16, hidden: 8, layers: 2, heads: 2));
        MethodTestKit.Reinitialise(m, 3);
        m.eval();
        var ids = tensor(new long[] { 2, 7, 9, 3 }).unsqueeze(0);
        var padded = tensor(new long[] { 2, 7, 9, 3, 0, 0, 0 }).unsqueeze(0);
        using var noGrad = no_grad();
        Assert.True(m.call(ids).allclose(m.call(padded), 1e-5, 1e-6), "padding changed the CLS output");
    }

    [Fact]
    public void PooledOutputsFollowEachModelsConvention()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ast = new AstModel(AstConfig.Tiny(20, 12, 4, 4, hidden: 8, layers: 1, heads: 2));
        MethodTestKit.Reinitialise(ast, 5);
        ast.eval();
        var x = randn(2, 20, 12);
        var (tokens, keep) = ast.Embed(x);
        Assert.Equal(2 + 3 * 5, tokens.shape[1]);                 // CLS, distillation, 3 x 5 patches
        var hidden = ast.Encode(tokens, keep);
        Assert.True(ast.call(x).allclose((hidden[.., 0] + hidden[.., 1]) / 2), "AST pooled is not the mean of CLS and distillation outputs");

        var clip = new ClipVisionTransformer(ClipVisionConfig.Tiny(8, 4, hidden: 8, layers: 1, heads: 2));
        MethodTestKit.Reinitialise(clip, 6);
        var pixels = randn(2, 3, 8, 8);
        var h = clip.Encode(clip.Embed(pixels).Tokens, null);
        Assert.True(clip.call(pixels).allclose(h[.., 0]));
    }

    [Fact]
    public void AWrongInputShapeIsRefusedWithTheExpectedShape()
    {
        var clip = new ClipVisionTransformer(ClipVisionConfig.Tiny(8, 4, hidden: 8, layers: 1, heads: 2));
        var e = Assert.Throws<ArgumentException>(() => clip.call(zeros(1, 3, 16, 16)));
        Assert.Contains("(B, 3, 8, 8)", e.Message);
        var ast = new AstModel(AstConfig.Tiny(20, 12, 4, 4, hidden: 8, layers: 1, heads: 2));
        e = Assert.Throws<ArgumentException>(() => ast.call(zeros(1, 12, 20)));
        Assert.Contains("20 frames, 12 mel bins", e.Message);
    }
}

/// <summary>Each model's block computed from its weights with plain tensor ops: norm placement, epsilon and activation.</summary>
public class TransformerConventionTests
{
    static Tensor Ln(Tensor x, Dictionary<string, Tensor> w, string name, double eps) =>
        (x - x.mean([-1], keepdim: true)) / (x.var(-1, unbiased: false, keepdim: true) + eps).sqrt() * w[name + ".weight"] + w[name + ".bias"];

    static Tensor Lin(Tensor x, Dictionary<string, Tensor> w, string name) => x.matmul(w[name + ".weight"].t()) + w[name + ".bias"];

    static Tensor Attention(Tensor x, Tensor q, Tensor k, Tensor v, int heads)
    {
        long b = x.shape[0], n = x.shape[1], d = x.shape[2], dh = d / heads;
        Tensor S(Tensor t) => t.view(b, n, heads, dh).transpose(1, 2);
        var p = (S(q).matmul(S(k).transpose(-2, -1)) / Math.Sqrt(dh)).softmax(-1);
        return p.matmul(S(v)).transpose(1, 2).reshape(b, n, d);
    }

    [Fact]
    public void ClipIsPreLnWithQuickGeluAndEps1e5()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var m = new ClipVisionTransformer(ClipVisionConfig.Tiny(8, 4, hidden: 8, layers: 1, heads: 2));
        MethodTestKit.Reinitialise(m, 21);
        m.eval();
        var w = m.state_dict();
        var x = m.Embed(randn(2, 3, 8, 8) * 1e-3).Tokens * 1e-3;   // tiny variance: the epsilon matters
        var h = Ln(x, w, "pre_layrnorm", 1e-5);
        const string L = "encoder.layers.0.";
        var a = Ln(h, w, L + "layer_norm1", 1e-5);
        h = h + Lin(Attention(a, Lin(a, w, L + "self_attn.q_proj"), Lin(a, w, L + "self_attn.k_proj"), Lin(a, w, L + "self_attn.v_proj"), 2), w, L + "self_attn.out_proj");
        var f = Lin(Ln(h, w, L + "layer_norm2", 1e-5), w, L + "mlp.fc1");
        h = h + Lin(f * (f * 1.702).sigmoid(), w, L + "mlp.fc2");
        var expected = Ln(h, w, "post_layernorm", 1e-5);
        Assert.True(m.Encode(x, null).allclose(expected, 1e-4, 1e-5), "CLIP block differs from pre-LN / quick-GELU / eps 1e-5");
        Assert.False(m.Encode(x, null).allclose(Ln(h, w, "post_layernorm", 1e-12), 1e-4, 1e-5), "the test input does not detect the epsilon");
    }

    [Fact]
    public void BertIsPostLnWithGeluAndEps1e12()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var m = new BertModel(BertConfig.Tiny(20, 8, hidden: 8, layers: 1, heads: 2));
        MethodTestKit.Reinitialise(m, 22);
        m.eval();
        var w = m.state_dict();
        var x = randn(2, 5, 8);
        const string L = "encoder.layer.0.";
        var att = Attention(x, Lin(x, w, L + "attention.self.query"), Lin(x, w, L + "attention.self.key"), Lin(x, w, L + "attention.self.value"), 2);
        var a = Ln(Lin(att, w, L + "attention.output.dense") + x, w, L + "attention.output.LayerNorm", 1e-12);
        var g = Lin(a, w, L + "intermediate.dense");
        g = g * 0.5 * (1 + (g / Math.Sqrt(2)).erf());
        var expected = Ln(Lin(g, w, L + "output.dense") + a, w, L + "output.LayerNorm", 1e-12);
        Assert.True(m.Encode(x, null).allclose(expected, 1e-4, 1e-5), "BERT block differs from post-LN / exact GELU");
    }

    [Fact]
    public void AstIsPreLnWithExactGeluAndAFinalNorm()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var m = new AstModel(AstConfig.Tiny(12, 8, 4, 4, hidden: 8, layers: 1, heads: 2));
        MethodTestKit.Reinitialise(m, 23);
        m.eval();
        var w = m.state_dict();
        var x = randn(2, 9, 8);
        const string L = "encoder.layer.0.";
        var a = Ln(x, w, L + "layernorm_before", 1e-12);
        var h = x + Lin(Attention(a, Lin(a, w, L + "attention.attention.query"), Lin(a, w, L + "attention.attention.key"), Lin(a, w, L + "attention.attention.value"), 2), w, L + "attention.output.dense");
        var g = Lin(Ln(h, w, L + "layernorm_after", 1e-12), w, L + "intermediate.dense");
        h = h + Lin(g * 0.5 * (1 + (g / Math.Sqrt(2)).erf()), w, L + "output.dense");
        Assert.True(m.Encode(x, null).allclose(Ln(h, w, "layernorm", 1e-12), 1e-4, 1e-5), "AST block differs from ViT pre-LN / exact GELU");
    }
}
