namespace MailGateway.Filters.Tests.Antivirus;

/// <summary>Tests that share the suite's one real clamd.</summary>
[CollectionDefinition(Name)]
public sealed class ClamdCollection : ICollectionFixture<ClamdFixture>
{
    public const string Name = "clamd";
}
