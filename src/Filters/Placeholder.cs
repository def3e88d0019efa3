namespace MailGateway.Filters; internal static class Placeholder {}
