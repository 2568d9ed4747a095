using System.IO;
using AlexaPrivacy;
using AlexaPrivacy.Site;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class SiteProfileTests
    {
        [Fact]
        public void Embedded_profile_holds_every_marketplace_of_the_contract()
        {
            var profile = SiteProfile.Embedded;
            Assert.Equal(12, profile.Marketplaces.Count);
            Assert.Equal("main", profile.Marketplace("amazon.com").CookieSuffix);
            Assert.Equal("acbuk", profile.Marketplace("amazon.co.uk").CookieSuffix);
            Assert.Equal("de_DE", profile.Marketplace("www.amazon.de").Language);
            Assert.Equal("acbbr", profile.Marketplace("https://www.amazon.com.br/").CookieSuffix);
        }

        [Fact]
        public void Labels_fall_back_from_a_regional_language_to_the_language()
        {
            var profile = SiteProfile.Embedded;
            Assert.Same(profile.Languages["en"], profile.LabelsFor("en_GB"));
            Assert.Null(profile.LabelsFor("ja_JP"));
            Assert.Equal("Use of Voice Recordings", profile.LabelsFor("en_US").Generations["2025"]["VoiceRecordingReview"]);
            Assert.Equal("Help Improve Amazon Services and Develop New Features", profile.LabelsFor("en_US").Generations["2019"]["VoiceRecordingReview"]);
        }

        [Fact]
        public void An_override_file_changes_one_label_and_keeps_the_rest()
        {
            string path = Path.GetTempFileName();
            File.WriteAllText(path, "{ \"languages\": { \"en\": { \"generations\": { \"2025\": { \"VoiceRecordingReview\": \"Use of Your Voice Recordings\" } } } } }");
            var profile = SiteProfile.Load(path);
            Assert.Equal("Use of Your Voice Recordings", profile.LabelsFor("en_US").Generations["2025"]["VoiceRecordingReview"]);
            Assert.Equal("Enable Deletion by Voice", profile.LabelsFor("en_US").Generations["2025"]["DeletionByVoice"]);
            Assert.Equal(path, profile.Source);
            File.Delete(path);
        }

        [Fact]
        public void A_malformed_override_names_the_bad_field()
        {
            string path = Path.GetTempFileName();
            File.WriteAllText(path, "{ \"paths\": { \"settings\": \"\" } }");
            var error = Assert.Throws<AlexaException>(() => SiteProfile.Load(path));
            Assert.Equal(AlexaErrorId.SiteProfileInvalid, error.ErrorId);
            Assert.Contains("'paths.settings'", error.Message);
            File.Delete(path);
        }

        [Fact]
        public void Records_per_filter_is_500_unless_an_override_sets_another_positive_number()
        {
            Assert.Equal(500, SiteProfile.Embedded.Limits.RecordsPerFilter);
            string path = Path.GetTempFileName();
            File.WriteAllText(path, "{ \"limits\": { \"recordsPerFilter\": 100 } }");
            Assert.Equal(100, SiteProfile.Load(path).Limits.RecordsPerFilter);
            File.WriteAllText(path, "{ \"limits\": { \"recordsPerFilter\": 0 } }");
            var error = Assert.Throws<AlexaException>(() => SiteProfile.Load(path));
            Assert.Equal(AlexaErrorId.SiteProfileInvalid, error.ErrorId);
            Assert.Contains("'limits.recordsPerFilter'", error.Message);
            File.Delete(path);
        }

        [Fact]
        public void An_override_that_is_not_JSON_says_where()
        {
            string path = Path.GetTempFileName();
            File.WriteAllText(path, "{\n  \"paths\": { \"settings\": }\n}");
            var error = Assert.Throws<AlexaException>(() => SiteProfile.Load(path));
            Assert.Equal(AlexaErrorId.SiteProfileInvalid, error.ErrorId);
            Assert.Contains("line 2", error.Message);
            File.Delete(path);
        }

        [Fact]
        public void A_field_of_the_wrong_type_is_named()
        {
            string path = Path.GetTempFileName();
            File.WriteAllText(path, "{ \"timeouts\": { \"actionSeconds\": \"soon\" } }");
            var error = Assert.Throws<AlexaException>(() => SiteProfile.Load(path));
            Assert.Contains("timeouts.actionSeconds", error.Message);
            File.Delete(path);
        }

        [Fact]
        public void An_unknown_marketplace_is_an_input_error_that_lists_the_known_ones()
        {
            var error = Assert.Throws<AlexaException>(() => SiteProfile.Embedded.Marketplace("amazon.example"));
            Assert.Equal(AlexaErrorId.InvalidInput, error.ErrorId);
            Assert.Contains("amazon.co.uk", error.Message);
        }

        [Theory]
        [InlineData("de", "amazon.de")]
        [InlineData("uk", "amazon.co.uk")]
        [InlineData("us", "amazon.com")]
        [InlineData("amazon.jp", "amazon.co.jp")]
        public void An_unknown_short_marketplace_name_suggests_the_marketplace_it_means(string given, string meant)
        {
            var error = Assert.Throws<AlexaException>(() => SiteProfile.Embedded.Marketplace(given));
            Assert.Equal(AlexaErrorId.InvalidInput, error.ErrorId);
            Assert.Contains($"'{given}' is not a marketplace the site profile knows; did you mean {meant}?", error.Message);
        }

        [Fact]
        public void A_marketplace_name_that_resembles_none_suggests_nothing()
        {
            var error = Assert.Throws<AlexaException>(() => SiteProfile.Embedded.Marketplace("example"));
            Assert.DoesNotContain("did you mean", error.Message);
        }
    }
}
