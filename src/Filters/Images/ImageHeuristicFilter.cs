using MailGateway.Filters.Chain;
using MailGateway.Scl.Model.Features;
using Microsoft.Extensions.Options;

namespace MailGateway.Filters.Images;

/// <summary>
/// Image-only and image-heavy mail (pictures of text, a classic way past text filters) gets its SCL raised by
/// <c>Images:SclBoost</c>, capped at 9. It uses the same image measurements as the model.
/// </summary>
public sealed class ImageHeuristicFilter(IOptionsMonitor<ImageHeuristicOptions> options) : IMessageFilter
{
    public string Name => "ImageHeuristic";

    public FilterKind Kind => FilterKind.Spam;

    public async Task<FilterStepResult> RunAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var o = options.CurrentValue;
        if (!o.Enabled)
        {
            return FilterStepResult.Continue("disabled");
        }

        if (context.IsSclForced)
        {
            return FilterStepResult.Continue("skipped-forced");
        }

        var images = (await context.GetFeaturesAsync(cancellationToken)).Images;
        var verdict = Classify(images, o);
        if (verdict is null)
        {
            return FilterStepResult.Continue("none");
        }

        context.SetScl(Math.Min(9, (context.Scl ?? 0) + o.SclBoost));
        return FilterStepResult.Continue(verdict);
    }

    /// <summary>"image-only", "image-heavy", or null for a message whose text outweighs its images.</summary>
    public static string? Classify(ImageMeasurements images, ImageHeuristicOptions o)
    {
        var imageCount = Math.Max(images.ImagePartCount, images.InlineImageReferenceCount) + images.RemoteImageCount;
        if (imageCount == 0)
        {
            return null;
        }

        if (images.TextLength < o.MaxTextChars)
        {
            return "image-only";
        }

        return images.ImageBytes > (long)images.TextLength * o.ImageBytesPerTextChar ? "image-heavy" : null;
    }
}
