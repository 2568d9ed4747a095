using System;
using AlexaPrivacy.Browser;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class OriginSelectorTests
    {
        [Theory]
        [InlineData("https://www.amazon.com/alexa-privacy/apd/myad", "https://www.amazon.com")]
        [InlineData("https://WWW.Amazon.DE/", "https://www.amazon.de")]
        [InlineData("https://www.amazon.com:443/", "https://www.amazon.com")]
        [InlineData("http://127.0.0.1:40353/", "http://127.0.0.1:40353")]
        [InlineData("http://localhost/", "http://localhost")]
        [InlineData("http://[::1]:8080/x", "http://[::1]:8080")]
        [InlineData("https://bücher.example/", "https://xn--bcher-kva.example")]
        public void Writes_the_origin_as_a_browser_does(string uri, string origin)
        {
            Assert.Equal(origin, OriginSelector.OriginOf(new Uri(uri)));
            Assert.Equal("alexaprivacyorigin=" + origin, OriginSelector.For(new Uri(uri)));
        }
    }
}
