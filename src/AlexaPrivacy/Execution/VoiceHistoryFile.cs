// Writes voice records to a .csv or .json file as they stream in (never all in memory), shared by
// Export-AlexaVoiceHistory and the backup of Remove-AlexaVoiceHistory; safe for several accounts at
// once. The records go to an owner-only file beside the target, which replaces the target only when
// complete (an export) or before anything is deleted (a backup): a stopped or failed run leaves the
// earlier file as it was, never a truncated CSV or an unclosed JSON array in its place.
using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace AlexaPrivacy.Execution
{
    internal sealed class VoiceHistoryFile : IDisposable
    {
        private static readonly string[] Columns = { "Account", "Time", "Device", "Transcript", "Response", "Type", "Key" };

        private readonly object _sync = new object();
        private readonly bool _asJson;
        private Security.PrivateFiles.Replacement _file;
        private FileStream _stream;
        private StreamWriter _csv;
        private bool _closed;
        private Utf8JsonWriter _json;

        public string FullPath { get; }

        public int Count { get; private set; }

        /// <summary>"Csv" or "Json".</summary>
        public string Format => _asJson ? "Json" : "Csv";

        private VoiceHistoryFile(string fullPath, bool json, bool deferred)
        {
            FullPath = fullPath;
            _asJson = json;
            if (!deferred) Open();
        }

        // A deferred file is begun only when there is something to write; an export at once.
        private void Open()
        {
            if (_closed) throw new OperationCanceledException($"'{FullPath}' is closed: the command was stopped or has finished.");
            if (_stream != null) return;
            _file = Security.PrivateFiles.Replacement.Open(FullPath); // transcripts are private: 600 on Unix
            _stream = _file.Stream;
            if (_asJson)
            {
                _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { Indented = true });
                _json.WriteStartArray();
            }
            else
            {
                _csv = new StreamWriter(_stream, new UTF8Encoding(false));
                _csv.WriteLine(string.Join(",", Columns));
            }
        }

        /// <summary>
        /// Opens <paramref name="fullPath"/> for writing; the extension (.csv or .json) chooses the format.
        /// With <paramref name="deferred"/> the file is created (and an existing one replaced) only when
        /// the first record is written.
        /// </summary>
        public static VoiceHistoryFile Create(string fullPath, bool deferred = false)
        {
            string extension = Path.GetExtension(fullPath).ToLowerInvariant();
            if (extension != ".csv" && extension != ".json")
            {
                throw AlexaException.InvalidInput($"'{fullPath}' must end in .csv or .json: the extension chooses the format.");
            }
            try
            {
                Security.PrivateFiles.CheckReplaceable(fullPath);
                if (deferred && !Directory.Exists(Path.GetDirectoryName(fullPath)))
                    throw new DirectoryNotFoundException($"The folder '{Path.GetDirectoryName(fullPath)}' does not exist.");
                return new VoiceHistoryFile(fullPath, extension == ".json", deferred);
            }
            catch (Security.UnsafeFileException e)
            {
                throw Unsafe(e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new AlexaException(AlexaErrorId.InvalidInput, ErrorCategory.WriteError, $"Cannot write '{fullPath}': {e.Message}", e);
            }
        }

        public void Write(AlexaVoiceRecord record)
        {
            string time = record.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
            lock (_sync)
            {
                Open();
                if (_json != null)
                {
                    _json.WriteStartObject();
                    _json.WriteString("Account", record.Account);
                    _json.WriteString("Time", time);
                    _json.WriteString("Device", record.Device);
                    _json.WriteString("Transcript", record.Transcript);
                    _json.WriteString("Response", record.Response);
                    _json.WriteString("Type", record.Type);
                    _json.WriteString("Key", record.Key);
                    _json.WriteEndObject();
                    // Utf8JsonWriter keeps what it wrote until flushed: hand it to the file every 16 KB, so
                    // a long history is never all in memory.
                    if (_json.BytesPending > 16384) _json.Flush();
                }
                else
                {
                    _csv.WriteLine(string.Join(",",
                        Cell(record.Account), Cell(time), Cell(record.Device), Cell(record.Transcript),
                        Cell(record.Response), Cell(record.Type), Cell(record.Key)));
                }
                Count++;
            }
        }

        /// <summary>
        /// Pushes what was written to the disk and puts the file in place under its name, so that a
        /// backup exists before anything is deleted; later records are added to it.
        /// </summary>
        public void Flush()
        {
            lock (_sync)
            {
                if (_stream == null) return;
                if (_json != null) _json.Flush();
                else _csv.Flush();
                try
                {
                    _file.Place();
                }
                catch (Security.UnsafeFileException e)
                {
                    _closed = true; // the records were not saved: nothing may be deleted, nothing more written
                    throw Unsafe(e);
                }
            }
        }

        /// <summary>
        /// Closes the file (the JSON array, the last CSV line) and puts it in place of the target:
        /// the end of a run that finished. Without it, <see cref="Dispose"/> leaves the earlier file.
        /// </summary>
        public void Complete()
        {
            lock (_sync)
            {
                if (_closed) return;
                Open();
                Close();
                _file.Commit();
                Completed = true;
            }
        }

        /// <summary>True once <see cref="Complete"/> put the whole file in place.</summary>
        public bool Completed { get; private set; }

        /// <summary>
        /// A CSV cell that a spreadsheet shows as text: a value starting with = + - @ or their
        /// full-width forms (＝ ＋ － ＠), or with a tab or carriage return, or with spaces, tabs and
        /// line breaks before such a sign (which spreadsheets skip), gets a leading apostrophe so that
        /// it cannot run as a formula; quotes are doubled as RFC 4180 says.
        /// </summary>
        internal static string Cell(string value)
        {
            if (string.IsNullOrEmpty(value)) return "";
            if (MightRunAsFormula(value))
            {
                value = "'" + value;
            }
            bool quote = value.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 || value[0] == ' ' || value[value.Length - 1] == ' ';
            return quote ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
        }

        /// <summary>The error for a target that is a link, a FIFO, a device or a folder.</summary>
        internal static AlexaException Unsafe(Security.UnsafeFileException e) =>
            new AlexaException(AlexaErrorId.FileUnsafe, ErrorCategory.SecurityError, e.Message, e)
            { RecommendedAction = "Remove what is at that path, or choose another path: the module writes only regular files and never through a link." };

        private static bool MightRunAsFormula(string value)
        {
            char first = value[0];
            if (first == '\t' || first == '\r') return true;
            int i = 0;
            while (i < value.Length && (value[i] == ' ' || value[i] == '\t' || value[i] == '\r' || value[i] == '\n')) i++;
            if (i == value.Length) return false;
            switch (value[i])
            {
                case '=': case '+': case '-': case '@':
                case '\uFF1D': case '\uFF0B': case '\uFF0D': case '\uFF20':
                    return true;
                default:
                    return false;
            }
        }

        private void Close()
        {
            if (_json != null)
            {
                _json.WriteEndArray();
                _json.Flush();
            }
            else
            {
                _csv.Flush();
            }
            _closed = true;
        }

        /// <summary>
        /// Ends the file: a backup already in place is closed there; a file not completed (the run was
        /// stopped or failed) is removed and the earlier one stays.
        /// </summary>
        public void Dispose()
        {
            lock (_sync)
            {
                if (_file == null)
                {
                    _closed = true;
                    return;
                }
                try
                {
                    if (!_closed && _file.Placed) Close();
                }
                finally
                {
                    _closed = true;
                    _file.Dispose();
                }
            }
        }
    }
}
