using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Lora;

/// <summary>
/// Puts LoRA on any module (PEFT's inject_adapter): every Linear whose qualified name ends with one of the target
/// names is replaced, in its parent, by a <see cref="LoraLinear"/> wrapping it (its weights become
/// <c>{name}.base_layer.*</c>, the adapter's <c>{name}.lora_A.weight</c> and <c>{name}.lora_B.weight</c>), and every
/// parameter of the module that is not an adapter's is frozen (PEFT's mark_only_lora_as_trainable). A parent must hold
/// the Linear in a field named as the submodule and typed <c>Module&lt;Tensor, Tensor&gt;</c> (TorchSharp's naming
/// convention), so the replacement is what its forward calls.
/// </summary>
public static class LoraAdapter
{
    /// <summary>Adapts the targets and freezes the rest; returns the qualified names of the adapted layers.</summary>
    public static IReadOnlyList<string> Apply(nn.Module root, IReadOnlyList<string> targets, LoraConfig config)
    {
        foreach (var p in root.parameters()) p.requires_grad = false;
        var modules = root.named_modules().ToDictionary(kv => kv.name, kv => kv.module);
        var chosen = modules.Where(kv => kv.Value is Linear && targets.Any(t => kv.Key == t || kv.Key.EndsWith("." + t, StringComparison.Ordinal)))
                            .Select(kv => kv.Key).ToList();
        if (chosen.Count == 0)
            throw new ArgumentException($"LoRA: no Linear layer of {root.GetName()} ends with any of {string.Join(", ", targets)}.");
        foreach (var name in chosen)
        {
            int dot = name.LastIndexOf('.');
            var parent = dot < 0 ? root : modules[name[..dot]];
            var child = name[(dot + 1)..];
            Replace(parent, child, new LoraLinear((Linear)modules[name], config));
        }
        return chosen;
    }

    static void Replace(nn.Module parent, string child, nn.Module<Tensor, Tensor> replacement)
    {
        FieldInfo? field = null;
        for (var t = parent.GetType(); t is not null && field is null; t = t.BaseType)
            field = t.GetField(child, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
        if (field is null || !field.FieldType.IsAssignableFrom(replacement.GetType()))
            throw new InvalidOperationException(
                $"LoRA: {parent.GetType().Name} must hold '{child}' in a field of that name typed Module<Tensor, Tensor> to take an adapter " +
                $"(found {(field is null ? "no such field" : "a field of type " + field.FieldType.Name)}).");
        parent.register_module(child, null!);
        parent.register_module(child, replacement);
        field.SetValue(parent, replacement);
    }

    /// <summary>The adapter layers inside a module.</summary>
    public static IEnumerable<LoraLinear> Layers(nn.Module root) => root.modules().OfType<LoraLinear>();
}
