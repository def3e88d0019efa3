namespace MailGateway.Scl.Model; internal static class Placeholder {}
