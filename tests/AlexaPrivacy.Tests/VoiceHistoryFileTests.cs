// The CSV cells of a voice-history export: quoted as RFC 4180 says, and never a formula in a spreadsheet.
using System;
using AlexaPrivacy.Execution;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class VoiceHistoryFileTests
    {
        [Theory]
        [InlineData("=1+2", "'=1+2")]
        [InlineData("+1 to my list", "'+1 to my list")]
        [InlineData("-5 degrees", "'-5 degrees")]
        [InlineData("@home turn off", "'@home turn off")]
        [InlineData("\t=cmd", "'\t=cmd")]
        [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
        [InlineData(" =1+2", "' =1+2")]
        [InlineData("  @SUM(A1)", "'  @SUM(A1)")]
        [InlineData("\n=cmd", "\"'\n=cmd\"")]
        [InlineData("\r\n+1", "\"'\r\n+1\"")]
        [InlineData(" \t-2", "' \t-2")]
        [InlineData("\uFF1D1+2", "'\uFF1D1+2")]
        [InlineData("\uFF0B1", "'\uFF0B1")]
        [InlineData("\uFF0D1", "'\uFF0D1")]
        [InlineData("\uFF20home", "'\uFF20home")]
        [InlineData(" \uFF1D1", "' \uFF1D1")]
        public void Prefixes_a_value_that_a_spreadsheet_would_run(string value, string cell) =>
            Assert.Equal(cell, VoiceHistoryFile.Cell(value));

        [Theory]
        [InlineData("what time is it", "what time is it")]
        [InlineData(" what time is it", "\" what time is it\"")]
        [InlineData("  ", "\"  \"")]
        [InlineData("e-mail me", "e-mail me")]
        [InlineData("play \"Blue in Green\", please", "\"play \"\"Blue in Green\"\", please\"")]
        [InlineData("two\nlines", "\"two\nlines\"")]
        [InlineData("", "")]
        [InlineData(null, "")]
        public void Quotes_only_what_needs_quoting(string value, string cell) =>
            Assert.Equal(cell, VoiceHistoryFile.Cell(value));

        [Fact]
        public void Refuses_an_extension_that_is_not_csv_or_json()
        {
            var e = Assert.Throws<AlexaException>(() => VoiceHistoryFile.Create(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "history.xlsx")));
            Assert.Equal(AlexaErrorId.InvalidInput, e.ErrorId);
        }

        [Fact]
        public void Refuses_After_later_than_Before()
        {
            var now = DateTime.Now;
            var e = Assert.Throws<AlexaException>(() => VoiceHistoryQuery.From(now, now.AddDays(-1), null, null));
            Assert.Equal(AlexaErrorId.InvalidInput, e.ErrorId);
        }
    }
}
