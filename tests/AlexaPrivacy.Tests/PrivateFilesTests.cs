// The one owner-only writer: whole files replace their target only when complete, nothing is ever
// written through a link or into a FIFO, and appends check the file on every open (Unix).
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using AlexaPrivacy.Security;
using Xunit;

namespace AlexaPrivacy.Tests
{
    public sealed class PrivateFilesTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "alexaprivacy-files-" + Guid.NewGuid().ToString("N"));

        public PrivateFilesTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, true);

        private static bool Unix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private string PathOf(string name) => Path.Combine(_folder, name);

        private static int Mode(string path) => (int)File.GetUnixFileMode(path) & 0x1ff;

        private string[] Entries() => Array.ConvertAll(Directory.GetFileSystemEntries(_folder), Path.GetFileName);

        [DllImport("libc", SetLastError = true, EntryPoint = "mkfifo")]
        private static extern int MakeFifo(string path, int mode);

        [Fact]
        public void Replaces_a_file_whole_and_owner_only_and_leaves_no_temporary_file()
        {
            string target = PathOf("export.csv");
            File.WriteAllText(target, "old");
            if (Unix) File.SetUnixFileMode(target, (UnixFileMode)Convert.ToInt32("644", 8));
            PrivateFiles.WriteAllText(target, "new");
            Assert.Equal("new", File.ReadAllText(target));
            if (Unix) Assert.Equal(Convert.ToInt32("600", 8), Mode(target));
            Assert.Equal(new[] { "export.csv" }, Entries());
        }

        [Fact]
        public void Keeps_the_earlier_file_when_a_replacement_is_not_committed()
        {
            string target = PathOf("export.json");
            File.WriteAllText(target, "[ \"earlier\" ]");
            using (var replacement = PrivateFiles.Replacement.Open(target))
            {
                var bytes = Encoding.UTF8.GetBytes("[ { \"cut\": ");
                replacement.Stream.Write(bytes, 0, bytes.Length);
                replacement.Stream.Flush();
                Assert.Equal(2, Entries().Length); // the temporary file beside it, while it is written
                if (Unix) Assert.Equal(Convert.ToInt32("600", 8), Mode(Path.Combine(_folder, Array.Find(Entries(), e => e.EndsWith(".tmp", StringComparison.Ordinal)))));
            }
            Assert.Equal("[ \"earlier\" ]", File.ReadAllText(target));
            Assert.Equal(new[] { "export.json" }, Entries());
        }

        [Fact]
        public void Puts_a_backup_in_place_and_keeps_writing_to_it()
        {
            string target = PathOf("backup.csv");
            File.WriteAllText(target, "earlier");
            using (var replacement = PrivateFiles.Replacement.Open(target))
            {
                replacement.Stream.Write(Encoding.UTF8.GetBytes("a\n"));
                replacement.Place();
                Assert.Equal("a\n", File.ReadAllText(target));
                replacement.Stream.Write(Encoding.UTF8.GetBytes("b\n"));
            }
            Assert.Equal("a\nb\n", File.ReadAllText(target));
            Assert.Equal(new[] { "backup.csv" }, Entries());
        }

        [Fact]
        public void Refuses_a_link_at_the_target_and_leaves_what_it_points_at()
        {
            if (!Unix) return; // links need privileges on Windows; the attribute check is the same code
            string victim = PathOf("victim.txt");
            File.WriteAllText(victim, "untouched");
            string link = PathOf("export.csv");
            File.CreateSymbolicLink(link, victim);
            var e = Assert.Throws<UnsafeFileException>(() => PrivateFiles.WriteAllText(link, "written"));
            Assert.Contains(link, e.Message);
            Assert.Contains("link", e.Message);
            Assert.Equal("untouched", File.ReadAllText(victim));
            Assert.True(new FileInfo(link).LinkTarget != null);
            Assert.Equal(2, Entries().Length);
        }

        [Fact]
        public void Refuses_a_FIFO_and_a_folder_at_the_target_without_opening_them()
        {
            if (!Unix) return;
            string fifo = PathOf("pipe.json");
            Assert.Equal(0, MakeFifo(fifo, Convert.ToInt32("600", 8)));
            var e = Assert.Throws<UnsafeFileException>(() => PrivateFiles.WriteAllText(fifo, "x"));
            Assert.Contains("FIFO", e.Message);
            Assert.Contains(fifo, e.Message);
            var append = Assert.Throws<UnsafeFileException>(() => PrivateFiles.OpenAppend(fifo).Dispose());
            Assert.Contains("FIFO", append.Message);
            string folder = PathOf("folder.csv");
            Directory.CreateDirectory(folder);
            Assert.Contains("folder", Assert.Throws<UnsafeFileException>(() => PrivateFiles.WriteAllText(folder, "x")).Message);
        }

        [Fact]
        public void Appends_never_through_a_link()
        {
            if (!Unix) return;
            string victim = PathOf("victim.log");
            File.WriteAllText(victim, "untouched");
            string link = PathOf("audit.jsonl");
            File.CreateSymbolicLink(link, victim);
            var e = Assert.Throws<UnsafeFileException>(() => PrivateFiles.OpenAppend(link).Dispose());
            Assert.Contains(link, e.Message);
            Assert.Equal("untouched", File.ReadAllText(victim));
        }

        [Fact]
        public void Appends_to_a_file_made_owner_only_and_recreates_a_deleted_one_owner_only()
        {
            if (!Unix) return;
            string log = PathOf("audit.jsonl");
            File.WriteAllText(log, "one\n");
            File.SetUnixFileMode(log, (UnixFileMode)Convert.ToInt32("644", 8));
            using (var stream = PrivateFiles.OpenAppend(log)) stream.Write(Encoding.UTF8.GetBytes("two\n"));
            Assert.Equal("one\ntwo\n", File.ReadAllText(log));
            Assert.Equal(Convert.ToInt32("600", 8), Mode(log));
            File.Delete(log);
            using (var stream = PrivateFiles.OpenAppend(log)) stream.Write(Encoding.UTF8.GetBytes("three\n"));
            Assert.Equal("three\n", File.ReadAllText(log));
            Assert.Equal(Convert.ToInt32("600", 8), Mode(log));
        }

        [Fact]
        public void Creates_missing_folders_owner_only_and_leaves_existing_ones_as_they_are()
        {
            if (!Unix) return;
            File.SetUnixFileMode(_folder, (UnixFileMode)Convert.ToInt32("755", 8));
            string deep = Path.Combine(_folder, "a", "b");
            PrivateFiles.CreateDirectory(deep);
            Assert.Equal(Convert.ToInt32("700", 8), Mode(Path.Combine(_folder, "a")));
            Assert.Equal(Convert.ToInt32("700", 8), Mode(deep));
            Assert.Equal(Convert.ToInt32("755", 8), Mode(_folder));
        }
    }
}
