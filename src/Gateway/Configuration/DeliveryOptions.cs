namespace MailGateway.Gateway.Configuration;

/// <summary>The <c>Delivery</c> section: where the inbox and junk routes hand a message.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    public DeliveryMode Mode { get; set; } = DeliveryMode.Maildir;
}
