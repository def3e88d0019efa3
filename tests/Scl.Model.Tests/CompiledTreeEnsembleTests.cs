using MailGateway.Scl.Model.Features;
using MailGateway.Scl.Model.Scoring;
using MailGateway.Scl.Model.Scoring.Compiled;
using MimeKit;

namespace MailGateway.Scl.Model.Tests;

/// <summary>
/// The shipped model's tree member is scored by <see cref="CompiledTreeEnsemble"/>, not ML.NET; it must give ML.NET's
/// own margin for real messages (the load-time check only covers a few made-up rows).
/// </summary>
public sealed class CompiledTreeEnsembleTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    [Fact]
    public void The_shipped_models_members_are_compiled()
    {
        // The tree member (CompiledTreeEnsemble) and the linear member (CompiledLinearModel) alike.
        var members = fixture.Model.Info.Learner switch { "Ensemble" => 2, _ => 1 };
        Assert.Equal(members, fixture.Model.CompiledMemberCount);
    }

    [Theory]
    [InlineData(0.9299476, 0.9299476146, true)]
    [InlineData(18055.168, 18055.16946, true)]
    [InlineData(1.0, 1.002, false)]
    [InlineData(18055.168, 18055.5, false)]
    [InlineData(double.NaN, 1.0, false)]
    public void A_compiled_margin_agrees_with_ml_net_up_to_single_precision_rounding(double mlNet, double compiled, bool agrees) =>
        Assert.Equal(agrees, TreeMemberCompiler.Agrees(compiled, mlNet));

    [Fact]
    public async Task Compiled_margins_equal_ml_net_margins_on_every_fixture_message()
    {
        var files = Directory.GetFiles(ShippedModelFixture.FixturePath(), "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).ToArray();
        Assert.True(files.Length >= 20, $"{files.Length} fixture messages");
        var distinct = new HashSet<double>();
        foreach (var path in files)
        {
            var features = FeatureExtractor.Extract(await MimeMessage.LoadAsync(path));
            var compiled = fixture.Model.Margin(features);
            var mlNet = fixture.Model.MlNetMargin(features);
            Assert.True(Math.Abs(compiled - mlNet) < 1e-3, $"{Path.GetFileName(path)}: compiled {compiled}, ML.NET {mlNet}");
            distinct.Add(Math.Round(mlNet, 3));
        }

        // The fixtures reach different leaves: the comparison is not between constant outputs.
        Assert.True(distinct.Count >= files.Length / 2, $"{distinct.Count} distinct margins for {files.Length} messages");
    }
}
