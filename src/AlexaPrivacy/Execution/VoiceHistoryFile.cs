// Writes voice records to a .csv or .json file as they stream in (never all in memory), shared by
// Export-AlexaVoiceHistory and the backup of Remove-AlexaVoiceHistory; safe for several accounts at once.
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
        private FileStream _stream;
        private StreamWriter _csv;
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

        // FileMode.Create empties an existing file: done only when there is something to write (or at once, for an export).
        private void Open()
        {
            if (_stream != null) return;
            _stream = OwnerOnly.Open(FullPath, FileMode.Create); // transcripts are private: 600 on Unix
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
                if (deferred && !Directory.Exists(Path.GetDirectoryName(fullPath)))
                    throw new DirectoryNotFoundException($"The folder '{Path.GetDirectoryName(fullPath)}' does not exist.");
                return new VoiceHistoryFile(fullPath, extension == ".json", deferred);
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

        /// <summary>Pushes what was written to the disk, so that a backup exists before anything is deleted.</summary>
        public void Flush()
        {
            lock (_sync)
            {
                if (_stream == null) return;
                if (_json != null) _json.Flush();
                else _csv.Flush();
                _stream.Flush(true);
            }
        }

        /// <summary>
        /// A CSV cell that a spreadsheet shows as text: a value starting with = + - @ (or a tab or
        /// carriage return, which some spreadsheets skip before such a sign) gets a leading apostrophe
        /// so that it cannot run as a formula; quotes are doubled as RFC 4180 says.
        /// </summary>
        internal static string Cell(string value)
        {
            if (string.IsNullOrEmpty(value)) return "";
            char first = value[0];
            if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r')
            {
                value = "'" + value;
            }
            bool quote = value.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 || value[0] == ' ' || value[value.Length - 1] == ' ';
            return quote ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
        }

        public void Dispose()
        {
            lock (_sync)
            {
                if (_stream == null) return;
                if (_json != null)
                {
                    _json.WriteEndArray();
                    _json.Dispose();
                }
                else
                {
                    _csv.Dispose();
                }
                _stream.Dispose();
            }
        }
    }
}
