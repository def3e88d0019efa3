using MailGateway.Filters.Images;
using MailGateway.Scl.Model.Features;

namespace MailGateway.Filters.Tests.Images;

public class ImageHeuristicFilterTests
{
    private static readonly ImageHeuristicOptions Defaults = new();

    [Fact]
    public void No_images_is_never_image_heavy()
    {
        Assert.Null(ImageHeuristicFilter.Classify(new ImageMeasurements { TextLength = 5 }, Defaults));
    }

    [Fact]
    public void An_image_with_one_line_of_text_is_image_only()
    {
        var images = new ImageMeasurements { ImagePartCount = 1, ImageBytes = 40_000, TextLength = 40 };
        Assert.Equal("image-only", ImageHeuristicFilter.Classify(images, Defaults));
    }

    [Fact]
    public void A_remote_image_counts_like_an_attached_one()
    {
        var images = new ImageMeasurements { RemoteImageCount = 2, TextLength = 10 };
        Assert.Equal("image-only", ImageHeuristicFilter.Classify(images, Defaults));
    }

    [Fact]
    public void Large_images_over_some_text_are_image_heavy_and_a_small_logo_in_a_long_letter_is_not()
    {
        var heavy = new ImageMeasurements { ImagePartCount = 2, ImageBytes = 500_000, TextLength = 1_000 };
        var letter = new ImageMeasurements { ImagePartCount = 1, ImageBytes = 8_000, TextLength = 4_000 };
        Assert.Equal("image-heavy", ImageHeuristicFilter.Classify(heavy, Defaults));
        Assert.Null(ImageHeuristicFilter.Classify(letter, Defaults));
    }
}
