using Repro.Data;
using Repro.Evaluation;
using Repro.Experiments;
using Repro.Experiments.Tables;
using static TorchSharp.torch;

namespace Repro.Tests.Experiments;

/// <summary>MLA Table 1 on Food-101 and MLA Figure 3: the image-text rows read as the audio-video ones, and the gap from the table's runs.</summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MlaFood101Tests
{
    [Fact]
    public void Table1HasFood101sRowsColumnsAndPaperNumbers()
    {
        var spec = PaperTables.Get("mla-table1");
        Assert.Equal(["cremad", "food101", "ks", "mvsa"], spec.Datasets.Order());
        Assert.Equal(69.60, spec.PaperValue("food101", "Image", "MLA"));
        Assert.Equal(3.51, spec.PaperValue("food101", "Image", "Concat"));
        Assert.Equal(86.02, spec.PaperValue("food101", "Text", "Concat"));
        Assert.Equal(90.21, spec.PaperValue("food101", "Multi", "Late Fusion"));
        Assert.Null(spec.PaperValue("food101", "Audio", "MLA"));

        static string[] Planned(string dataset) => TableRunner.Plan(MlaTable1.Spec, dataset, null, Profile.Smoke).Columns.Select(c => c.Label).ToArray();
        string[] baselines = ["Sum", "Concat", "Late Fusion", "FiLM", "BiGated", "OGM-GE", "QMF", "MLA"];
        Assert.Equal([.. baselines, "Image alone", "Text alone"], Planned("food101"));
        Assert.Equal([.. baselines, "Audio alone", "Video alone"], Planned("cremad"));

        // OGM-GE modulates every non-1-D weight only on Food-101 (its text encoder has no convolution)
        Assert.Equal(Repro.Methods.Ogm.OgmModulate.Non1d, ((Repro.Methods.Ogm.OgmOptions)MlaTable1.OgmGe.Spec("food101", Profile.Embedded).Options).Modulate);
        Assert.Null(((Repro.Methods.Ogm.OgmOptions)MlaTable1.OgmGe.Spec("cremad", Profile.Embedded).Options).Modulate);

        // every unimodal row reads acc_{modality} of a modality the dataset has
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("mla-food101-spec")));
        foreach (var dataset in spec.Datasets)
        {
            var modalities = runner.Dataset(dataset, null, Profile.Smoke).Info.ModalityNames;
            var unimodal = spec.Rows.Where(r => r.MetricByDataset.ContainsKey(dataset) && r.Label != "Multi").Select(r => r.MetricByDataset[dataset]);
            Assert.Equal(modalities.Select(m => "acc_" + m), unimodal);
        }
    }

    [Fact]
    public void Figure3MeasuresTheGapOfTable1sRunsSelectedModels()
    {
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("mla-food101-runs")));
        var table = TableRunner.Run(runner, MlaTable1.Spec, "food101", null, Profile.Smoke, onlyColumns: ["Concat", "Image alone"]);
        foreach (var row in new[] { "Image", "Text", "Multi" }) Assert.NotNull(table.Mean(row, "Concat"));
        Assert.NotNull(table.Mean("Image", "Image alone"));
        Assert.Null(table.Mean("Text", "Image alone"));
        string[] Runs() => Directory.GetDirectories(Path.Combine(runner.Store.Root, "runs")).SelectMany(Directory.GetDirectories).Order().ToArray();
        var runs = Runs();

        var figure = TableRunner.Run(runner, MlaFigure3.Spec, "food101", null, Profile.Smoke, onlyColumns: ["Concat"]);
        Assert.Equal(table.Runs["Concat"].Single().Key, figure.Runs["Concat"].Single().Key);
        Assert.True(figure.Runs["Concat"].Single().Reused);

        // recount from the selected model: encoder outputs of the whole test split, each scaled to unit length
        var spec = TableRunner.Plan(MlaFigure3.Spec, "food101", null, Profile.Smoke, onlyColumns: ["Concat"]).Runs.Single().Spec;
        var method = runner.Selected(spec);
        var test = runner.Dataset("food101", null, Profile.Smoke).Test;
        var loader = new DataLoader(test, 16, false, SampleMode.Eval, 0);
        var image = new List<Tensor>();
        var text = new List<Tensor>();
        using (no_grad())
            foreach (var indices in loader.Plan(0))
            {
                var f = method.Model.Encode(loader.Load(indices, 0));
                image.Add(f["image"].to(ScalarType.Float64));
                text.Add(f["text"].to(ScalarType.Float64));
            }
        static Tensor Centroid(List<Tensor> xs) { var x = cat(xs.ToArray(), 0); return (x / x.norm(1, true)).mean([0]); }
        var expected = (Centroid(image) - Centroid(text)).norm().item<double>();
        Assert.Equal(expected, figure.Value(MlaFigure3.GapRow, "Concat"), 6);
        Assert.InRange(expected, 1e-3, 2);

        var points = figure.Points[(MlaFigure3.GapRow, "Concat")].Single();
        Assert.Equal(2 * test.Count, points.Count);
        Assert.Equal(test.Count, points.Count(p => p.Group == "image"));
        Assert.True(File.Exists(Path.Combine(runner.Store.RunDirectory(runner.Identify(spec)), "analyses", "modality-gap.json")));
        Assert.Equal(runs, Runs());   // nothing trained again
        Assert.Contains("row,column,seed,group,x,y", Repro.Reporting.TableReport.ToPointsCsv(figure));
    }
}
