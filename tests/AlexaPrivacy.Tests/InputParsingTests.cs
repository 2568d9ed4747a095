using System;
using AlexaPrivacy;
using AlexaPrivacy.Execution;
using AlexaPrivacy.Site;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class InputParsingTests
    {
        [Theory]
        [InlineData("true", true)] [InlineData("FALSE", false)] [InlineData("Yes", true)] [InlineData("no", false)]
        [InlineData("ON", true)] [InlineData("off", false)] [InlineData("1", true)] [InlineData("0", false)] [InlineData(" on ", true)]
        public void Reads_CSV_booleans_in_any_case(string text, bool expected) => Assert.Equal(expected, BooleanText.Parse(text));

        [Theory]
        [InlineData("maybe")] [InlineData("")] [InlineData("2")] [InlineData("enabled")]
        public void Gives_no_boolean_for_other_text(string text) => Assert.Null(BooleanText.Parse(text));

        [Fact]
        public void Keeps_real_booleans() => Assert.Equal(false, BooleanText.Parse(false));

        [Fact]
        public void Resolves_the_marketplace_origin_by_default()
        {
            Assert.Equal(new Uri("https://www.amazon.co.uk/"), SessionOpener.ResolveBaseUri(SiteProfile.Embedded, "amazon.co.uk", null));
        }

        [Theory]
        [InlineData("http://127.0.0.1:5000/alexa")] [InlineData("http://localhost:8080")] [InlineData("https://replica.example.org")]
        public void Accepts_https_anywhere_and_http_on_loopback(string uri)
        {
            var resolved = SessionOpener.ResolveBaseUri(SiteProfile.Embedded, "amazon.com", new Uri(uri));
            Assert.Equal("/", resolved.AbsolutePath);
        }

        [Fact]
        public void Refuses_plain_http_to_another_host()
        {
            var error = Assert.Throws<AlexaException>(() => SessionOpener.ResolveBaseUri(SiteProfile.Embedded, "amazon.com", new Uri("http://192.0.2.10/")));
            Assert.Equal(AlexaErrorId.UnsafeOrigin, error.ErrorId);
        }
    }
}
