using Repro.Data;
using Repro.Data.Food101;
using Repro.Data.Manifests;
using Repro.Data.Prepare;

namespace Repro.Experiments.Datasets;

/// <summary>UPMC Food-101 (Data/Food101/): the original splits (upmc) and MAP's (map); images and titles.</summary>
[Dataset]
public sealed class Food101Descriptor : ImageTextDescriptor
{
    public override string Id => "food101";
    public override string Name => "Food-101";
    public override IReadOnlyList<string> Protocols => ["upmc", "map"];
    public override bool ListsFiles => true;
    public override Action<DataPreparer> Prepare => p => p.ImageText(Id);

    public override OpenedDataset Open(DatasetRef id, string protocol, string root, Profile profile, DatasetManifest? local)
    {
        var o = TextOptions(id, profile, 40);
        var (train, test) = Splits(id, root, s => new Food101Dataset(root, s, protocol, o));
        return Opened(train, test, Encoders(profile, train.Tokenizer.VocabSize));
    }

    public override IMultimodalDataset OpenSplit(DatasetManifest m, string root, string split, MissingFilePolicy missing = MissingFilePolicy.Error) =>
        new Food101Dataset(root, split, m.Protocol, VerifyOptions with { MissingFiles = missing });

    public override DatasetManifest WriteStandIn(string dir, string protocol, StandInSize size, ulong seed, IProgress<(int, int)>? progress)
    {
        var w = Food101StandIn.Write(dir, new Food101StandInRecipe { TrainPerClass = size.TrainPerClass, TestPerClass = size.TestPerClass, Seed = seed }, progress);
        int k = Food101StandIn.Classes.Length;
        var common = new DatasetManifest
        {
            Dataset = Id, Protocol = protocol,
            Source = $"repro synth food101 --protocol {protocol} (seed {seed}): a generated stand-in in UPMC Food-101's layout (plus MAP's json files); not real data",
            Licence = Generated,
            Layout = new()
            {
                ["image"] = "images/{train,test}/<class>/<class>_<n>.jpg",
                ["text"] = "texts/{train,test}_titles.csv: lines image,title,class (no header)",
                ["map"] = "class_idx.json {class: index}, text.json {image: title}, split.json {train, val, test}",
                ["vocab"] = "vocab.txt: BERT-format WordPiece vocabulary",
            },
            Preprocessing = ["text: BERT WordPiece (uncased) from vocab.txt, [CLS] ... [SEP], padded to the text length", "image: RandomResizedCrop+flip (train) / Resize (test), ImageNet normalisation"],
        };
        if (protocol == "upmc")
            return common with
            {
                Splits = new()
                {
                    ["train"] = new("texts/train_titles.csv", w.Upmc["train"].Count, Histogram(w.Upmc["train"].Select(x => x.Label), k)),
                    ["test"] = new("texts/test_titles.csv", w.Upmc["test"].Count, Histogram(w.Upmc["test"].Select(x => x.Label), k)),
                },
                Classes = Food101StandIn.Classes.Order(StringComparer.Ordinal).ToArray(),
            };
        var order = Food101Dataset.ReadJson<Dictionary<string, int>>(Path.Combine(dir, "class_idx.json"), "{class: index}");
        var classes = order.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        int[] Counts(List<string> images) => Histogram(images.Select(i => Array.IndexOf(classes, i[..i.LastIndexOf('_')])), k);
        return common with
        {
            Splits = w.Map.ToDictionary(kv => kv.Key, kv => new DatasetManifest.SplitManifest($"split.json[{kv.Key}]", kv.Value.Count, Counts(kv.Value))),
            Classes = classes,
        };
    }
}
