using MailGateway.Scl.Model.Scoring;

namespace MailGateway.Scl.Model.Tests;

/// <summary>Loads the shipped model once for a test class (loading costs about a second).</summary>
public sealed class ShippedModelFixture
{
    public ShippedModelFixture()
    {
        Model = SclModel.Load(SclModel.DefaultPath);
        Scorer = new SclScorer(Model);
    }

    public SclModel Model { get; }

    public SclScorer Scorer { get; }

    public static string FixturePath(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);
}
