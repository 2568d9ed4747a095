// Which marketplace a browser is signed in to, told from the names of Amazon's sign-in cookies.
using System.Linq;
using AlexaPrivacy.Site;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class MarketplaceCookiesTests
    {
        private static readonly string[] German = { "session-id", "session-token", "ubid-acbde", "at-acbde", "sess-at-acbde", "x-acbde" };

        [Fact]
        public void Reads_the_suffix_of_the_sign_in_cookies_and_ignores_the_shared_ones()
        {
            Assert.Equal(new[] { "acbde" }, MarketplaceCookies.SuffixesIn(German).ToArray());
            Assert.Empty(MarketplaceCookies.SuffixesIn(new[] { "session-id", "session-token", "csm-hit", "lc-main" }));
            Assert.Empty(MarketplaceCookies.SuffixesIn(null));
        }

        [Fact]
        public void Finds_no_other_marketplace_when_the_cookies_match()
        {
            Assert.Null(MarketplaceCookies.OtherMarketplace(SiteProfile.Embedded, "amazon.de", German));
            Assert.Null(MarketplaceCookies.OtherMarketplace(SiteProfile.Embedded, "www.amazon.com", new[] { "at-main", "x-main", "session-id" }));
        }

        [Fact]
        public void Names_the_marketplace_the_cookies_belong_to_when_it_is_another_one()
        {
            Assert.Equal("amazon.de", MarketplaceCookies.OtherMarketplace(SiteProfile.Embedded, "amazon.com", German));
            Assert.Equal("amazon.co.jp", MarketplaceCookies.OtherMarketplace(SiteProfile.Embedded, "amazon.co.uk", new[] { "at-acbjp" }));
        }

        [Fact]
        public void Says_nothing_when_the_cookies_say_nothing_clear()
        {
            // Not signed in yet, or a suffix no marketplace of the profile uses: no accusation.
            Assert.Null(MarketplaceCookies.OtherMarketplace(SiteProfile.Embedded, "amazon.com", new[] { "session-id" }));
            Assert.Null(MarketplaceCookies.OtherMarketplace(SiteProfile.Embedded, "amazon.com", new[] { "at-acbzz" }));
        }

        [Fact]
        public void Every_marketplace_is_found_by_its_own_suffix()
        {
            var profile = SiteProfile.Embedded;
            foreach (var pair in profile.Marketplaces)
            {
                Assert.Equal(pair.Key, profile.MarketplaceOfCookieSuffix(pair.Value.CookieSuffix));
            }
            Assert.Null(profile.MarketplaceOfCookieSuffix("acbzz"));
        }

        [Fact]
        public void The_embedded_profile_holds_the_hub_and_voice_history_labels_the_compatibility_check_looks_for()
        {
            var labels = SiteProfile.Embedded.LabelsFor("en_US");
            Assert.Equal("Alexa Privacy", labels.Hub["heading"]);
            Assert.Equal("Manage Your Alexa Data", labels.Hub["settingsLink"]);
            Assert.Equal("Review Voice History", labels.VoiceHistory["heading"]);
            Assert.Equal("Delete all of my recordings", labels.VoiceHistory["deleteAll"]);
        }
    }
}
