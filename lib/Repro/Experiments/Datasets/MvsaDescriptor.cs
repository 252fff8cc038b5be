using Repro.Data;
using Repro.Data.Manifests;
using Repro.Data.Mvsa;

namespace Repro.Experiments.Datasets;

/// <summary>
/// MVSA-Single (Data/Mvsa/): tweets' images and texts in three sentiment classes; MLA's lists (mla, the default) and
/// QMF's jsonl splits (qmf). The image-text encoders of Food-101.
/// </summary>
[Dataset]
public sealed class MvsaDescriptor : ImageTextDescriptor
{
    public override string Id => "mvsa";
    public override string Name => "MVSA-Single";
    public override IReadOnlyList<string> Protocols => ["mla", "qmf"];
    /// <summary>1: the kit read real MVSA only with BERT's own text encoding (Food-101's version 2), so no earlier runs exist.</summary>
    public override int RealDataVersion => 1;
    public override bool ListsFiles => true;

    /// <summary>Token ids per tweet under the paper profile: MLA's 256 (its tokens had no [CLS]/[SEP]; here they count).</summary>
    public const int TextLength = 256;

    public override OpenedDataset Open(DatasetRef id, string protocol, string root, Profile profile, DatasetManifest? local)
    {
        var o = TextOptions(id, profile, TextLength);
        var (train, test) = Splits(id, root, s => new MvsaDataset(root, s, protocol, o));
        return Opened(train, test, Encoders(profile, train.Tokenizer.VocabSize));
    }

    public override IMultimodalDataset OpenSplit(DatasetManifest m, string root, string split, MissingFilePolicy missing = MissingFilePolicy.Error) =>
        new MvsaDataset(root, split, m.Protocol, VerifyOptions with { MissingFiles = missing });

    /// <summary>Sized like the Food-101 stand-in (8 x the per-class counts), at MVSA's class shares; dev as large as test.</summary>
    public override DatasetManifest WriteStandIn(string dir, string protocol, StandInSize size, ulong seed, IProgress<(int, int)>? progress)
    {
        var w = MvsaStandIn.Write(dir, new MvsaStandInRecipe { Train = 8 * size.TrainPerClass, Test = 8 * size.TestPerClass, Seed = seed }, progress);
        int k = MvsaDataset.Classes.Length;
        var splits = protocol == "mla"
            ? w.Mla.ToDictionary(kv => kv.Key, kv => new DatasetManifest.SplitManifest(MvsaLists.MlaList(kv.Key), kv.Value.Count, Histogram(kv.Value.Select(p => p.Label), k)))
            : w.Qmf.ToDictionary(kv => kv.Key, kv => new DatasetManifest.SplitManifest(MvsaLists.QmfList(kv.Key), kv.Value.Count, Histogram(kv.Value.Select(p => p.Label), k)));
        return new DatasetManifest
        {
            Dataset = Id, Protocol = protocol,
            Source = $"repro synth mvsa --protocol {protocol} (seed {seed}): a generated stand-in in MVSA-Single's layout (with QMF's jsonl splits and MLA's lists); not real data",
            Licence = Generated,
            Layout = Layout,
            Splits = splits,
            Classes = MvsaDataset.Classes,
            Counts = [new("data/*.jpg", w.Posts), new("data/*.txt", w.Posts)],
            Preprocessing = ["labels: posts whose text and image labels agree in labelResultAll.txt, classes sorted (negative, neutral, positive)",
                             "text: BERT WordPiece (uncased) from vocab.txt, [CLS] ... [SEP], padded to the text length",
                             "image: RandomResizedCrop+flip (train) / Resize (test), ImageNet normalisation"],
        };
    }

    /// <summary>The files of a root, for the manifests.</summary>
    public static Dictionary<string, string> Layout => new()
    {
        ["data"] = "data/<id>.jpg and data/<id>.txt: each post's image and tweet text",
        ["labels"] = "labelResultAll.txt: header ID<TAB>text,image, then <id><TAB><text label>,<image label> per post",
        ["qmf"] = "train.jsonl, dev.jsonl, test.jsonl: one {\"id\", \"label\", \"text\", \"img\"} object per line (QMF)",
        ["mla"] = "my_train_mvsa.txt, my_test_mvsa.txt: <id>.jpg <label> per line (MLA)",
        ["vocab"] = "vocab.txt: BERT-format WordPiece vocabulary",
    };
}
