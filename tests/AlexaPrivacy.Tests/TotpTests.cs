using System;
using System.Text;
using AlexaPrivacy;
using AlexaPrivacy.Security;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class TotpTests
    {
        // RFC 6238 appendix B, SHA-1 column (8 digits).
        [Theory]
        [InlineData(59L, "94287082")]
        [InlineData(1111111109L, "07081804")]
        [InlineData(1111111111L, "14050471")]
        [InlineData(1234567890L, "89005924")]
        [InlineData(2000000000L, "69279037")]
        [InlineData(20000000000L, "65353130")]
        public void Matches_the_RFC_6238_test_vectors(long unixSeconds, string expected)
        {
            var key = Encoding.ASCII.GetBytes("12345678901234567890");
            Assert.Equal(expected, Totp.Compute(key, DateTimeOffset.FromUnixTimeSeconds(unixSeconds), 8));
        }

        [Fact]
        public void Gives_six_digits_by_default_with_leading_zeros_kept()
        {
            var key = Encoding.ASCII.GetBytes("12345678901234567890");
            Assert.Equal("081804", Totp.Compute(key, DateTimeOffset.FromUnixTimeSeconds(1111111109L)));
        }

        [Fact]
        public void Clears_the_decoded_key_once_it_was_used_and_when_the_use_fails()
        {
            var secret = AlexaPrivacy.Security.SecretText.ToSecure("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
            byte[] seen = null;
            string code = Totp.WithKey(secret, key =>
            {
                seen = key;
                Assert.Equal(Encoding.ASCII.GetBytes("12345678901234567890"), key);
                return Totp.Compute(key, DateTimeOffset.FromUnixTimeSeconds(1111111109L));
            });
            Assert.Equal("081804", code);
            Assert.All(seen, b => Assert.Equal(0, b));

            seen = null;
            Assert.Throws<InvalidOperationException>(() => Totp.WithKey<bool>(secret, key => { seen = key; throw new InvalidOperationException(); }));
            Assert.All(seen, b => Assert.Equal(0, b));
            Assert.Equal("081804", Totp.Compute(secret, DateTimeOffset.FromUnixTimeSeconds(1111111109L)));
        }

        [Fact]
        public void Decodes_base32_with_spaces_and_lower_case_as_Amazon_shows_keys()
        {
            // "12345678901234567890" in base32.
            var expected = Encoding.ASCII.GetBytes("12345678901234567890");
            Assert.Equal(expected, Totp.DecodeBase32("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"));
            Assert.Equal(expected, Totp.DecodeBase32("gezdgnbvgy3tqojqgezdgnbvgy3tqojq"));
        }

        [Theory]
        [InlineData("GEZD1NBV")]
        [InlineData("not a key!")]
        [InlineData("   ")]
        public void Rejects_a_key_that_is_not_base32_without_echoing_it(string key)
        {
            var error = Assert.Throws<AlexaException>(() => Totp.DecodeBase32(key));
            Assert.Equal(AlexaErrorId.InvalidInput, error.ErrorId);
            if (key.Trim().Length > 0) Assert.DoesNotContain(key, error.Message);
        }
    }
}
