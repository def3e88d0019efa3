namespace MailGateway.Filters.Antivirus;

/// <summary>One decoded body found by <see cref="TolerantPartExtractor"/>, with the decoding that produced it.</summary>
public sealed record TolerantPart(string Method, byte[] Content);
