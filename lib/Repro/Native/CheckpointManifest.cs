using System.Text.Json;

namespace Repro.Native;

/// <summary>
/// The published checkpoints a method needs (data-manifests/checkpoints/*.json): for each file its repository, download
/// address, licence, the option that takes it, the sub-tree the kit loads (<see cref="CheckpointFile.Prefix"/>) and that
/// sub-tree's tensor and parameter counts, which the kit's full-size modules must match, and the file size with its source.
/// </summary>
public sealed record CheckpointManifest
{
    public required string Method { get; init; }
    public string Purpose { get; init; } = "";
    public required CheckpointFile[] Checkpoints { get; init; }

    /// <summary>One published file.</summary>
    public sealed record CheckpointFile
    {
        public required string Id { get; init; }
        public required string Repository { get; init; }
        public required string File { get; init; }
        public required string Url { get; init; }
        public string Licence { get; init; } = "";
        /// <summary>The kit's class built at full size for it (ClipVisionTransformer, BertModel, AstModel).</summary>
        public required string Encoder { get; init; }
        /// <summary>The method option the path goes to (weights_image, ...).</summary>
        public required string Option { get; init; }
        public required string Prefix { get; init; }
        /// <summary>Tensors and parameters under <see cref="Prefix"/> the kit loads (the module's state dict).</summary>
        public required int SubTreeTensors { get; init; }
        public required long SubTreeParameters { get; init; }
        public string CountSource { get; init; } = "";
        /// <summary>The file's size as its repository lists it (rounded to MB), and where that number comes from.</summary>
        public required double SizeMegabytes { get; init; }
        public string SizeSource { get; init; } = "";
        public string[] Notes { get; init; } = [];
    }

    public static CheckpointManifest Load(string path)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint manifest not found.", path);
        try
        {
            var m = JsonSerializer.Deserialize<CheckpointManifest>(System.IO.File.ReadAllText(path), Json.Options)
                    ?? throw new InvalidDataException($"{path}: empty checkpoint manifest.");
            foreach (var c in m.Checkpoints)
                if (c.SubTreeTensors <= 0 || c.SizeMegabytes <= 0)
                    throw new InvalidDataException($"{path}: checkpoint {c.Id}: subTreeTensors and sizeMegabytes must be positive.");
            return m;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid checkpoint manifest ({e.Message}).", e);
        }
    }
}
