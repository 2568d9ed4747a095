using System;
using System.IO;
using AlexaPrivacy.Diagnostics;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public class DiagnosticsFolderTests
    {
        [Fact]
        public void Old_screenshots_and_pages_are_deleted_and_everything_else_is_kept()
        {
            string folder = Path.Combine(Path.GetTempPath(), "alexaprivacy-diag-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var now = new DateTime(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
                string Make(string name, DateTime written)
                {
                    string path = Path.Combine(folder, name);
                    File.WriteAllText(path, "x");
                    File.SetLastWriteTimeUtc(path, written);
                    return path;
                }
                string old = Make("20261101-080000-000-ann_example.com-sign-in-abc123.png", now.AddDays(-32));
                string oldHtml = Make("20261118-080000-000-ann_example.com-sign-in-abc123.html", now.AddDays(-15));
                string recent = Make("20261130-080000-000-ann_example.com-sign-in-def456.png", now.AddDays(-3));
                string someoneElses = Make("notes.txt", now.AddDays(-400));

                Assert.Equal(2, DiagnosticsFolder.RemoveOld(folder, 14, now));
                Assert.False(File.Exists(old));
                Assert.False(File.Exists(oldHtml));
                Assert.True(File.Exists(recent));
                Assert.True(File.Exists(someoneElses));
                // 0 days keeps everything.
                Assert.Equal(0, DiagnosticsFolder.RemoveOld(folder, 0, now.AddYears(5)));
                Assert.True(File.Exists(recent));
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }
    }
}
