using System;
using System.Collections.Generic;
using System.Linq;
using AlexaPrivacy.Reports;
using AlexaPrivacy.Site;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class ReportTests
    {
        [Theory]
        [InlineData("7.00:00:00", "7 days")]
        [InlineData("1.00:00:00", "1 day")]
        [InlineData("1.12:00:00", "1 day 12 hours")]
        [InlineData("02:30:00", "2 hours 30 minutes")]
        [InlineData("90.00:00:00", "90 days")]
        public void Writes_durations_in_plain_words(string text, string expected) => Assert.Equal(expected, PlainText.Duration(text));

        [Fact]
        public void Gives_every_series_a_colour_of_its_own_however_many_there_are()
        {
            foreach (int count in new[] { 8, 9, 13, 50, 200 })
            {
                var colours = Enumerable.Range(0, count).Select(PrivacyReportHtml.Colour).ToList();
                Assert.Equal(count, colours.Distinct().Count());
            }
            // The 9th is not the 1st again, as it was with a palette of 8.
            Assert.NotEqual(PrivacyReportHtml.Colour(0), PrivacyReportHtml.Colour(8));
        }

        [Fact]
        public void Uses_Amazons_labels_for_settings_and_retention_periods()
        {
            var labels = new ReportLabels(SiteProfile.Embedded);
            Assert.Equal("Use of Voice Recordings", labels.Setting("VoiceRecordingReview"));
            Assert.Equal("Choose how long to save recordings", labels.Setting("VoiceRecordingRetention"));
            Assert.Equal("Save recordings for 3 months", labels.Value("ThreeMonths"));
            Assert.Equal("Off", labels.Value("Off"));
        }

        [Fact]
        public void Shows_a_failed_account_with_its_error_and_counts_it_in_the_failed_tile()
        {
            var failed = new ReportRow { Account = "loft@example.com" };
            failed.Errors.Add(new ReportError { ErrorId = "AlexaSessionFileNotFound", Message = "The session file <x> does not exist." });
            var compliant = new ReportRow { Account = "cabin@example.com", HasResult = true, ResultCompliant = true };
            var html = PrivacyReportHtml.Render("t", DateTimeOffset.Now, new List<ReportRow> { compliant, failed }, new List<ReportRecord>(),
                new ReportLabels(SiteProfile.Embedded), null, new List<string>());
            Assert.Contains("id=\"failed-count\">1<", html);
            Assert.Contains("id=\"compliant-count\">1<", html);
            Assert.Contains("data-status=\"failed\"", html);
            Assert.Contains("data-error-id=\"AlexaSessionFileNotFound\"", html);
            Assert.Contains("The session file &lt;x&gt; does not exist.", html);
        }
    }
}
