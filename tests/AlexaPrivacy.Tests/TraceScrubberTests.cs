using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using AlexaPrivacy.Diagnostics;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class TraceScrubberTests
    {
        private static byte[] Zip(string name, string text)
        {
            var output = new MemoryStream();
            using (var archive = new ZipArchive(output, ZipArchiveMode.Create, true))
            using (var writer = new StreamWriter(archive.CreateEntry(name).Open(), new UTF8Encoding(false)))
            {
                writer.Write(text);
            }
            return output.ToArray();
        }

        private static string Unzip(byte[] zip)
        {
            using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
            {
                return string.Join("\n", archive.Entries.Select(e => new StreamReader(e.Open()).ReadToEnd()));
            }
        }

        [Fact]
        public void Blanks_every_input_and_text_area_value_in_snapshots_and_the_text_of_fill_calls()
        {
            string trace =
                "{\"type\":\"frame-snapshot\",\"snapshot\":{\"html\":[\"HTML\",{},[\"BODY\",{}," +
                "[\"INPUT\",{\"id\":\"ap_password\",\"type\":\"password\",\"__playwright_value_\":\"Typed-pw-123\"}]," +
                "[\"input\",{\"name\":\"otp\",\"value\":\"654321\"}]," +
                "[\"TEXTAREA\",{\"__playwright_value_\":\"Area-secret-9\"},\"Area-secret-9\"]," +
                "[\"DIV\",{\"value\":\"kept\"},\"Visible text\"]]]}}\n" +
                "{\"type\":\"before\",\"callId\":\"call@7\",\"class\":\"Frame\",\"method\":\"fill\",\"params\":{\"selector\":\"#ap_password\",\"value\":\"Typed-pw-123\"}}\n" +
                "{\"type\":\"before\",\"callId\":\"call@8\",\"class\":\"Frame\",\"method\":\"goto\",\"params\":{\"url\":\"https://www.amazon.com/\"}}\n";
            string scrubbed = Unzip(TraceScrubber.Scrub(Zip("trace.trace", trace), Enumerable.Empty<string>()));
            Assert.DoesNotContain("Typed-pw-123", scrubbed);
            Assert.DoesNotContain("654321", scrubbed);
            Assert.DoesNotContain("Area-secret-9", scrubbed);
            // The page itself is still there to read: elements, their other attributes, text, and the calls.
            Assert.Contains("ap_password", scrubbed);
            Assert.Contains("\"value\":\"kept\"", scrubbed);
            Assert.Contains("Visible text", scrubbed);
            Assert.Contains("\"method\":\"fill\"", scrubbed);
            Assert.Contains("https://www.amazon.com/", scrubbed);
        }
    }
}
