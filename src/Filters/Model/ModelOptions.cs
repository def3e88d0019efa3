namespace MailGateway.Filters.Model;

/// <summary>The model part of the <c>Scl</c> section.</summary>
public sealed class ModelOptions
{
    public const string Section = "Scl";

    /// <summary>The model file; empty means the model shipped beside the program (Model/scl-model.zip).</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>How often the model file is checked for a replacement.</summary>
    public int ModelPollSeconds { get; set; } = 5;
}
